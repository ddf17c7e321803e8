from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from partnerships.selectors import assignments_for_user

from . import services
from .forms import ApiTokenCreateForm, PasswordResetForm, SetPasswordForm, SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    extra_context = {"page_title": "Sign in"}


class SignOutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"page_title": "Reset your password"}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"page_title": "Check your email"}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"page_title": "Choose a new password"}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {"page_title": "Your password has been changed"}


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "page_title": "Your profile",
            "tokens": services.api_tokens_for(user=user),
            "assignments": assignments_for_user(user=user, subject=user),
            "roles": user.role_names,
            "form": ApiTokenCreateForm(),
            "new_token": request.session.pop("new_api_token", None),
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenCreateForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accounts/profile.html",
            {
                "page_title": "Your profile",
                "tokens": services.api_tokens_for(user=request.user),
                "assignments": assignments_for_user(user=request.user, subject=request.user),
                "roles": request.user.role_names,
                "form": form,
            },
            status=400,
        )
    days = form.cleaned_data["expires_in_days"]
    _, secret = services.api_token_create(
        user=request.user, by=request.user, expires_in_days=int(days) if days else None
    )
    # Shown once on the next page, then gone: only its hash is stored.
    request.session["new_api_token"] = secret
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_key: str) -> HttpResponse:
    revoked = services.api_token_revoke(user=request.user, token_key=token_key, by=request.user)
    if revoked:
        messages.success(request, f"API token ending …{token_key[-4:]} has been revoked.")
    else:
        messages.error(request, "That token was not found. It may already have been revoked.")
    return redirect("accounts:profile")
