"""Sign in and out."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from forumapp.accounts.forms import LoginForm
from forumapp.accounts.models import User
from forumapp.accounts.services import find_user
from forumapp.extensions import db, limiter, login_manager
from forumapp.urls import safe_next

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(user_id: str):
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user and user.is_active and user.check_password(form.password.data):
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("programme_manage.events")))
        form.password.errors.append(_("Wrong e-mail or password."))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("You have signed out."))
    return redirect(url_for("programme.index"))
