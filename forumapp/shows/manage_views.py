"""Organisers' pages: collections with their lookbooks, and each show's running order."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from forumapp.directory.services import all_organisations, all_people
from forumapp.downloads import download
from forumapp.extensions import db
from forumapp.media.forms import commit_with_image
from forumapp.media.images import delete_image
from forumapp.ordering import move_one_place, offset_of
from forumapp.programme.event_pages import organiser_pages
from forumapp.shows.forms import CollectionForm, LookbookImageForm, SegmentForm, ShowSettingsForm
from forumapp.shows.models import CollectionDesigner, CollectionImage, ShowSegment
from forumapp.shows.pdf import run_of_show_pdf
from forumapp.shows.services import (
    collection_of_event_or_404,
    event_collections,
    renumber,
    running_order,
    set_order,
    show_for_item,
    show_item_of_event_or_404,
    show_items,
)
from forumapp.text import inner_quotes

bp = organiser_pages(Blueprint("shows_manage", __name__, url_prefix="/manage/e/<slug>"))



# ---- collections --------------------------------------------------------------------------


def _collection_form(collection=None):
    form = CollectionForm(obj=collection, organisations=all_organisations(), people=all_people())
    if not form.is_submitted():
        form.brand_id.data = collection.brand_id if collection else 0
        form.designer_ids.data = [p.id for p in collection.designers] if collection else []
        form.categories.data = list(collection.categories or []) if collection else []
        form.season.data = collection.season if collection else ""
    return form


def _save_collection(form, collection):
    form.populate_obj(collection)  # designer_ids is not a column; set below
    collection.categories = [c for c in form.categories.data if c]
    collection.looks = form.looks.data or 0
    wanted = list(dict.fromkeys(form.designer_ids.data or []))
    if [link.person_id for link in collection.designer_links] != wanted:
        collection.designer_links = [CollectionDesigner(person_id=pid, position=n) for n, pid in enumerate(wanted)]
    db.session.add(collection)
    db.session.commit()


@bp.route("/collections", methods=["GET", "POST"])
def collections():
    from forumapp.shows.models import Collection

    form = _collection_form()
    if form.validate_on_submit():
        collection = Collection(event_id=g.event.id)
        _save_collection(form, collection)
        flash(_("Saved «%(title)s».", title=inner_quotes(collection.display_title)))
        return redirect(url_for(".collection", collection_id=collection.id))
    return render_template("shows/manage/collections.html", event=g.event, collections=event_collections(g.event), form=form)


@bp.route("/collections/<int:collection_id>", methods=["GET", "POST"])
def collection(collection_id: int):
    collection = collection_of_event_or_404(g.event, collection_id)
    form = _collection_form(collection)
    if form.validate_on_submit():
        _save_collection(form, collection)
        flash(_("Saved «%(title)s».", title=inner_quotes(collection.display_title)))
        return redirect(url_for(".collection", collection_id=collection.id))
    db.session.rollback()
    return _collection_page(collection, form, LookbookImageForm(prefix="image"))


@bp.route("/collections/<int:collection_id>/remove", methods=["POST"])
def remove_collection(collection_id: int):
    """Remove a collection, its lookbook and its segments in every running order."""
    collection = collection_of_event_or_404(g.event, collection_id)
    title = collection.display_title
    paths = [picture.path for picture in collection.images]
    segments = db.session.scalars(db.select(ShowSegment).filter_by(collection_id=collection.id)).all()
    shows = {segment.show for segment in segments}
    for segment in segments:
        segment.show.segments.remove(segment)
    for show in shows:
        renumber(show)
    db.session.delete(collection)
    db.session.commit()
    for path in paths:
        delete_image(path)
    flash(_("Removed «%(title)s».", title=inner_quotes(title)))
    return redirect(url_for(".collections"))


def _collection_page(collection, form, image_form, status=200):
    return (
        render_template(
            "shows/manage/collection.html", event=g.event, collection=collection, form=form, image_form=image_form
        ),
        status,
    )


@bp.route("/collections/<int:collection_id>/images", methods=["POST"])
def add_image(collection_id: int):
    collection = collection_of_event_or_404(g.event, collection_id)
    image_form = LookbookImageForm(prefix="image")
    if not image_form.validate_on_submit():
        return _collection_page(collection, _collection_form(collection), image_form)
    prepared = image_form.image.prepared
    picture = CollectionImage(
        collection_id=collection.id,
        caption=image_form.caption.data,
        width=prepared.width,
        height=prepared.height,
        path="",
        position=len(collection.images),
    )
    db.session.add(picture)
    commit_with_image(db.session, picture, "path", image_form.image)
    flash(_("The picture was added to the lookbook."))
    return redirect(url_for(".collection", collection_id=collection.id) + "#lookbook")


@bp.route("/collections/<int:collection_id>/images/<int:image_id>/remove", methods=["POST"])
def remove_image(collection_id: int, image_id: int):
    collection = collection_of_event_or_404(g.event, collection_id)
    picture = db.session.get(CollectionImage, image_id)
    if picture is None or picture.collection_id != collection.id:
        abort(404)
    path = picture.path
    db.session.delete(picture)
    db.session.commit()
    delete_image(path)
    return redirect(url_for(".collection", collection_id=collection.id) + "#lookbook")


# ---- shows and their running order --------------------------------------------------------


@bp.route("/shows")
def shows():
    entries = []
    for item in show_items(g.event):
        show = show_for_item(item)
        entries.append((item, running_order(show) if show else None))
    return render_template("shows/manage/shows.html", event=g.event, entries=entries)


def _show_page(item, show, *, settings_form=None, segment_form=None, status=200):
    order = running_order(show)
    in_show = {s.collection_id for s in show.segments}
    available = [c for c in event_collections(g.event) if c.id not in in_show]
    settings_form = settings_form or ShowSettingsForm(obj=show, prefix="settings")
    segment_form = segment_form or SegmentForm(collections=available, prefix="segment")
    return (
        render_template(
            "shows/manage/show.html",
            event=g.event,
            item=item,
            show=show,
            order=order,
            settings_form=settings_form,
            segment_form=segment_form,
            available=available,
        ),
        status,
    )


def _load_show(item_id: int):
    item = show_item_of_event_or_404(g.event, item_id)
    return item, show_for_item(item, create=True)


@bp.route("/shows/<int:item_id>")
def show(item_id: int):
    item, show = _load_show(item_id)
    db.session.commit()  # the settings row, made on first visit
    return _show_page(item, show)


@bp.route("/shows/<int:item_id>/settings", methods=["POST"])
def show_settings(item_id: int):
    item, show = _load_show(item_id)
    form = ShowSettingsForm(prefix="settings")
    if not form.validate_on_submit():
        db.session.rollback()
        item, show = _load_show(item_id)
        return _show_page(item, show, settings_form=form)
    show.call_minutes = form.call_minutes.data
    show.seconds_per_look = form.seconds_per_look.data
    show.changeover_seconds = form.changeover_seconds.data or 0
    db.session.commit()
    flash(_("Saved."))
    return redirect(url_for(".show", item_id=item.id))


@bp.route("/shows/<int:item_id>/segments", methods=["POST"])
def add_segment(item_id: int):
    item, show = _load_show(item_id)
    in_show = {s.collection_id for s in show.segments}
    available = [c for c in event_collections(g.event) if c.id not in in_show]
    form = SegmentForm(collections=available, prefix="segment")
    if not form.validate_on_submit():
        return _show_page(item, show, segment_form=form)
    renumber(show)
    show.segments.append(
        ShowSegment(
            collection_id=form.collection_id.data,
            position=len(show.segments),
            duration_seconds=form.duration_seconds,
            music=form.music.data or "",
            notes=form.notes.data,
        )
    )
    db.session.commit()
    flash(_("The collection was added to the running order."))
    return redirect(url_for(".show", item_id=item.id))


def _segment_of(show, segment_id: int) -> ShowSegment:
    segment = next((s for s in show.segments if s.id == segment_id), None)
    if segment is None:
        abort(404)
    return segment


@bp.route("/shows/<int:item_id>/segments/<int:segment_id>", methods=["GET", "POST"])
def segment(item_id: int, segment_id: int):
    item, show = _load_show(item_id)
    segment = _segment_of(show, segment_id)
    form = SegmentForm(obj=segment, collections=[segment.collection], prefix="segment")
    if not form.is_submitted():
        form.fill_duration(segment.duration_seconds)
    if form.validate_on_submit():
        segment.duration_seconds = form.duration_seconds
        segment.music = form.music.data or ""
        segment.notes = form.notes.data
        db.session.commit()
        flash(_("Saved."))
        return redirect(url_for(".show", item_id=item.id))
    return render_template("shows/manage/segment.html", event=g.event, item=item, segment=segment, form=form)


@bp.route("/shows/<int:item_id>/segments/<int:segment_id>/move", methods=["POST"])
def move(item_id: int, segment_id: int):
    item, show = _load_show(item_id)
    segment = _segment_of(show, segment_id)
    move_one_place(show.segments, segment, offset_of(request.form.get("direction")))
    db.session.commit()
    return redirect(url_for(".show", item_id=item.id) + f"#segment-{segment.id}")


@bp.route("/shows/<int:item_id>/order", methods=["POST"])
def reorder(item_id: int):
    """Drag and drop posts the whole new order: order=3,1,2."""
    item, show = _load_show(item_id)
    try:
        ids = [int(part) for part in request.form.get("order", "").split(",") if part.strip()]
    except ValueError:
        abort(400)
    if not set_order(show, ids):
        abort(400)
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return {"ok": True}
    return redirect(url_for(".show", item_id=item.id))


@bp.route("/shows/<int:item_id>/segments/<int:segment_id>/remove", methods=["POST"])
def remove_segment(item_id: int, segment_id: int):
    item, show = _load_show(item_id)
    segment = _segment_of(show, segment_id)
    show.segments.remove(segment)
    renumber(show)
    db.session.commit()
    return redirect(url_for(".show", item_id=item.id))


@bp.route("/shows/<int:item_id>/run-of-show.pdf")
def run_of_show(item_id: int):
    item, show = _load_show(item_id)
    db.session.commit()
    rendered = run_of_show_pdf(running_order(show))
    filename = f"{g.event.slug}-run-of-show-{item.id}.pdf"
    return download(rendered.data, "application/pdf", filename, inline=True)
