"""Sign in and out."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from forumapp.accounts.forms import LoginForm
from forumapp.accounts.models import User
from forumapp.accounts.services import authenticate
from forumapp.extensions import db, limiter, login_manager
from forumapp.urls import safe_next

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(session_id: str):
    """The account of a session cookie `<id>:<session token>`, if that token is still current
    (sign-out and a new password replace it; cookies from before this scheme carry no token)."""
    user_id, _sep, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.holds_session(token) else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("programme_manage.events")))
        form.password.errors.append(_("Wrong e-mail or password."))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # Replacing the token ends this session everywhere it was copied to (and the account's other
    # sessions: "sign out" means sign out on every device).
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    flash(_("You have signed out."))
    return redirect(url_for("programme.index"))
