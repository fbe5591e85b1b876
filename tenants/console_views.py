"""Console pages of the store itself (/console/settings/): profile, team, periodic jobs and
tokens. Thin: the same services and selectors as /api/store, /api/store/members,
/api/store/schedules, /api/analytics/tokens and /api/tokens. Only owners change the store
(`owner_only`, 403 for staff); every member manages their own API tokens. The tools' settings
pages (ingestion tokens) live in their own console_urls under settings/."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from saas.console.guards import console_page, owner_only
from shared_apps.accounts.selectors import api_token_list
from shared_apps.accounts.services import api_token_create, api_token_revoke

from .console_forms import (
    MemberInviteForm,
    MemberRoleForm,
    ScheduleForm,
    StoreProfileForm,
    StoreSellingForm,
    TokenNameForm,
    service_call,
    store_selling_initial,
)
from .console_nav import key_show_once, key_shown, settings_render
from .schedules import (
    schedule_change,
    schedule_get,
    schedule_in_words,
    schedule_list,
    schedule_simple_times,
)
from .services import store_profile_update
from .team import member_get, member_invite, member_list, member_remove, member_role_set


def _found(selector, **arguments):
    """The row, or the page's 404 when the selector says there is none (or not this store's)."""
    row, refused = service_call(selector, **arguments)
    if refused:
        raise Http404(refused)
    return row


def _render(request, name: str, context: dict, status: int = 200):
    return settings_render(request, f"console/settings/{name}.html", context, status)


@console_page
@require_http_methods(["GET", "POST"])
def settings_view(request):
    store = request.tenant
    initial = {"name": store.name, "address": store.address, "timezone": store.timezone}
    form = StoreProfileForm(initial=initial)
    if request.method == "POST":
        owner_only(request)
        form = StoreProfileForm(request.POST)
        if form.is_valid() and form.run(store_profile_update, store=store, **form.cleaned_data):
            messages.success(request, "Store profile saved.")
            return redirect("console-settings")
    status = 400 if form.is_bound else 200
    selling_form = StoreSellingForm(initial=store_selling_initial(store))
    context = {"store": store, "form": form, "selling_form": selling_form}
    return _render(request, "index", context, status)


@console_page
@require_POST
def settings_selling_view(request):
    """Currency, delivery, tax and payment: a form of its own on the Settings page."""
    owner_only(request)
    store = request.tenant
    form = StoreSellingForm(request.POST)
    if form.is_valid() and form.run(store_profile_update, store=store, **form.cleaned_data):
        messages.success(request, "Selling settings saved.")
        return redirect("console-settings")
    store.refresh_from_db()
    profile = StoreProfileForm(
        initial={"name": store.name, "address": store.address, "timezone": store.timezone}
    )
    context = {"store": store, "form": profile, "selling_form": form}
    return _render(request, "index", context, 400)


@console_page
def team_view(request):
    owner_only(request)
    return _team_page(request)


def _team_page(request, invite_form=None):
    members = [
        (membership, MemberRoleForm(initial={"role": membership.role}, prefix=f"m{membership.pk}"))
        for membership in member_list(store=request.tenant)
    ]
    context = {"members": members, "invite_form": invite_form or MemberInviteForm()}
    return _render(request, "team", context, 400 if invite_form else 200)


@console_page
@require_POST
def team_invite_view(request):
    owner_only(request)
    form = MemberInviteForm(request.POST)
    if form.is_valid():
        membership = form.run(member_invite, store=request.tenant, **form.cleaned_data)
        if membership:
            seller = membership.seller
            messages.success(
                request,
                f"{seller.mobile} added as {membership.get_role_display().lower()}: they sign "
                "in with a code sent to that number.",
            )
            return redirect("console-settings-team")
    return _team_page(request, invite_form=form)


@console_page
@require_POST
def team_role_view(request, membership_id: int):
    owner_only(request)
    membership = _found(member_get, store=request.tenant, membership_id=membership_id)
    form = MemberRoleForm(request.POST, prefix=f"m{membership.pk}")
    if form.is_valid():
        changed = form.run(
            member_role_set,
            store=request.tenant,
            membership_id=membership.pk,
            role=form.cleaned_data["role"],
        )
        if changed:
            messages.success(
                request,
                f"{changed.seller.display_name} is now {changed.get_role_display().lower()}.",
            )
            return redirect("console-settings-team")
    messages.error(request, " ".join(form.errors.get("role", ["Choose owner or staff."])))
    return redirect("console-settings-team")


@console_page
@require_POST
def team_remove_view(request, membership_id: int):
    owner_only(request)
    membership = _found(member_get, store=request.tenant, membership_id=membership_id)
    _, refused = service_call(member_remove, store=request.tenant, membership_id=membership.pk)
    if refused:
        messages.error(request, refused)
    else:
        messages.success(request, f"{membership.seller.display_name} removed from the team.")
    return redirect("console-settings-team")


@console_page
def jobs_view(request):
    owner_only(request)
    jobs = [
        (schedule, _job_title(schedule), schedule_in_words(schedule))
        for schedule in schedule_list(store=request.tenant)
    ]
    return _render(request, "jobs", {"jobs": jobs})


def _schedule_initial(schedule) -> dict:
    times = schedule_simple_times(schedule)
    initial = {"enabled": schedule.periodic_task.enabled}
    if times is not None:
        initial.update(minute=times.minute, hour=times.hour, days=[str(d) for d in times.days])
    return initial


@console_page
@require_http_methods(["GET", "POST"])
def job_edit_view(request, key: str):
    owner_only(request)
    schedule = _found(schedule_get, store=request.tenant, key=key)
    form = ScheduleForm(initial=_schedule_initial(schedule))
    if request.method == "POST":
        form = ScheduleForm(request.POST)
        if form.is_valid() and form.run(schedule_change, schedule=schedule, **form.cleaned_data):
            schedule = schedule_get(store=request.tenant, key=key)
            state = "on" if schedule.periodic_task.enabled else "off"
            messages.success(
                request,
                f"{_job_title(schedule)}: {schedule_in_words(schedule)}, {state}.",
            )
            return redirect("console-settings-jobs")
    context = {"schedule": schedule, "title": _job_title(schedule), "form": form,
               "words": schedule_in_words(schedule)}  # fmt: skip
    return _render(request, "job_edit", context, 400 if form.is_bound else 200)


def _job_title(schedule) -> str:
    """The job's name without the store's slug the beat row carries ("acme: Signup digest")."""
    return schedule.periodic_task.name.split(": ", 1)[-1]


@console_page
@require_http_methods(["GET", "POST"])
def api_tokens_view(request):
    form = TokenNameForm()
    if request.method == "POST":
        form = TokenNameForm(request.POST)
        if form.is_valid():
            token, key = api_token_create(seller=request.user, name=form.cleaned_data["name"])
            key_show_once(request, name=token.name, key=key)
            messages.success(request, f"API token “{token.name}” created.")
            return redirect("console-settings-api-tokens")
    context = {"tokens": api_token_list(seller=request.user), "form": form,
               "new_key": key_shown(request)}  # fmt: skip
    return _render(request, "api_tokens", context, 400 if form.is_bound else 200)


@console_page
@require_POST
def api_token_revoke_view(request, token_id: int):
    _, refused = service_call(api_token_revoke, seller=request.user, token_id=token_id)
    if refused:
        messages.error(request, refused)
    else:
        messages.success(request, "API token revoked: programs using it are signed out.")
    return redirect("console-settings-api-tokens")
