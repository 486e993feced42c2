"""The organisers' pages of an event's API tokens (make one: its secret is shown once, on the
answer to the form; see when each was last used; revoke one) and webhook endpoints (add one,
read its delivery log, remove it)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forumapp.api import tokens as service
from forumapp.api import webhooks
from forumapp.api.forms import ACCESS_LABELS, WEBHOOK_KIND_LABELS, TokenForm, WebhookForm
from forumapp.api.models import ApiToken, WebhookEndpoint
from forumapp.lookups import of_event_or_404
from forumapp.programme.event_pages import organiser_pages

bp = organiser_pages(Blueprint("api_manage", __name__, url_prefix="/manage"))


def _page(form: TokenForm, new: service.NewToken | None = None, status: int = 200):
    response = render_template(
        "api/tokens.html", event=g.event, form=form, new=new, tokens=service.tokens_of(g.event),
        access_labels=ACCESS_LABELS,
    )
    # The page with a new secret must not be kept by the browser's or a proxy's cache.
    return response, status, {"Cache-Control": "no-store"}


@bp.route("/e/<slug>/api-tokens", methods=["GET", "POST"])
def tokens():
    form = TokenForm()
    if form.validate_on_submit():
        new = service.create_token(g.event, current_user, form.name.data, form.access.data)
        return _page(TokenForm(formdata=None), new)
    return _page(form)


@bp.route("/e/<slug>/api-tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_token(token_id: int):
    token = of_event_or_404(ApiToken, token_id, g.event)
    service.revoke(token)
    flash(_("The token %(prefix)s… no longer works.", prefix=token.prefix))
    return redirect(url_for(".tokens"))


# ---- webhooks ----------------------------------------------------------------------------------


def _webhooks_page(form: WebhookForm, new=None):
    endpoints = webhooks.endpoints_of(g.event)
    response = render_template(
        "api/webhooks.html", event=g.event, form=form, new=new, endpoints=endpoints,
        deliveries={e.id: webhooks.recent_deliveries(e) for e in endpoints}, kind_labels=WEBHOOK_KIND_LABELS,
        signature_header=webhooks.SIGNATURE_HEADER,
    )
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/e/<slug>/webhooks", methods=["GET", "POST"])
def webhook_endpoints():
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            endpoint = webhooks.create_endpoint(g.event, current_user, form.url.data, form.kinds.data)
        except webhooks.UnsafeAddress:
            form.url.errors.append(_("Give a public https address: this one cannot be used."))
        else:
            return _webhooks_page(WebhookForm(formdata=None), endpoint)
    return _webhooks_page(form)


@bp.route("/e/<slug>/webhooks/<int:endpoint_id>/remove", methods=["POST"])
def remove_webhook(endpoint_id: int):
    webhooks.remove_endpoint(of_event_or_404(WebhookEndpoint, endpoint_id, g.event))
    flash(_("The webhook was removed."))
    return redirect(url_for(".webhook_endpoints"))
