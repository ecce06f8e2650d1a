"""Who may open each address the project serves: every route, every role, written down.

MATRIX lists every URL pattern with the roles allowed to reach it. The expectations are the product's
rules (an editor gets nothing of cases, a patient nothing of the admin), written out by hand: they are
never computed from the permissions the code grants. A pattern missing from MATRIX fails the first
test, so whoever adds a URL decides who may reach it.

Each role signs in once, through the real login and two-factor pages, on data built once for the
module; every request then runs in its own savepoint, so nothing one request does reaches the next.
"""

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from articles.models import Article, Topic
from navis.models import Heartbeat, User
from tests.articles.conftest import publish
from tests.factories import ArticleFactory, ConsentTextFactory, StaffFactory, TopicFactory, UserFactory
from tests.logins import log_in, reauthenticate
from tests.uploads import files
from tests.uploads.cases import complete_case, release_guidance, submitted_case
from tests.uploads.review import waiting_case
from uploads.models import AccessLog, Case, ConsentText, Document, GuidanceTemplate, Lead
from uploads.services import intake

pytestmark = pytest.mark.django_db

# --- Roles ----------------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
PATIENT = "patient"  # owns every patient object below: the cases, their documents, the consent
OTHER_PATIENT = "other patient"  # a verified patient with nothing of their own here
EDITOR = "editor"
MEDICAL_REVIEWER = "medical reviewer"
CASE_REVIEWER = "case reviewer"
ADMINISTRATOR = "administrator"
SUPERUSER = "superuser"
ROLES = (ANONYMOUS, PATIENT, OTHER_PATIENT, EDITOR, MEDICAL_REVIEWER, CASE_REVIEWER, ADMINISTRATOR, SUPERUSER)

EVERYONE = frozenset(ROLES)
NOBODY = frozenset()
SIGNED_IN = EVERYONE - {ANONYMOUS}
PATIENTS = frozenset({PATIENT, OTHER_PATIENT})
OWNER = frozenset({PATIENT})
STAFF = frozenset({EDITOR, MEDICAL_REVIEWER, CASE_REVIEWER, ADMINISTRATOR, SUPERUSER})
SUPERUSER_ONLY = frozenset({SUPERUSER})
ARTICLES = frozenset({EDITOR, MEDICAL_REVIEWER, SUPERUSER})
ARTICLE_WRITERS = frozenset({EDITOR, SUPERUSER})  # medical reviewers review; they add no articles or cancer types
CASES = frozenset({CASE_REVIEWER, SUPERUSER})
ADMINISTRATION = frozenset({ADMINISTRATOR, SUPERUSER})


# --- The objects the URLs point at -----------------------------------------------------------------


@dataclass
class World:
    users: dict[str, User]
    sessions: dict[str, str]
    article: Article
    topic: Topic
    consent_text: ConsentText
    draft_consent_text: ConsentText
    answered_case: Case
    waiting_case: Case
    waiting_document: Document
    draft_case: Case
    draft_document: Document
    lead: Lead
    guidance_template: GuidanceTemplate
    access_log: AccessLog
    heartbeat: Heartbeat

    @property
    def patient(self) -> User:
        return self.users[PATIENT]


def build_world() -> World:
    users = {
        PATIENT: UserFactory(email="patient@example.com"),
        OTHER_PATIENT: UserFactory(email="other-patient@example.com"),
        EDITOR: StaffFactory(email="editor@example.com", groups=["Editor"]),
        MEDICAL_REVIEWER: StaffFactory(email="medical-reviewer@example.com", groups=["Medical reviewer"]),
        CASE_REVIEWER: StaffFactory(email="case-reviewer@example.com", groups=["Case reviewer"]),
        ADMINISTRATOR: StaffFactory(email="administrator@example.com", groups=["Administrator"]),
        SUPERUSER: StaffFactory(email="superuser@example.com", is_superuser=True),
    }
    patient = users[PATIENT]
    # Filed under a topic, so that the topic's list of answers has something to list.
    topic = TopicFactory()
    article = ArticleFactory(created_by=users[EDITOR])
    article.topics.set([topic])
    article = publish(article, users[EDITOR], users[MEDICAL_REVIEWER])
    consent_text = ConsentTextFactory()
    # One case a step further along each: patients may hold a draft, a case waiting, and an answered one.
    answered = submitted_case(patient, consent_text)
    release_guidance(answered, "Ask your team about trials.")
    waiting = waiting_case(patient, consent_text)
    draft = complete_case(patient, consent_text)
    waiting_document = waiting.documents.get()
    return World(
        users=users,
        sessions={},
        article=article,
        topic=topic,
        consent_text=consent_text,
        draft_consent_text=ConsentTextFactory(published_at=None),
        answered_case=answered,
        waiting_case=waiting,
        waiting_document=waiting_document,
        draft_case=draft,
        draft_document=draft.documents.get(),
        lead=intake.lead_record(article_slug=article.slug, utm={"utm_source": "matrix"}, referrer="", user=patient),
        guidance_template=GuidanceTemplate.objects.create(title="Stomach cancer, stage 3", body="Start here."),
        access_log=intake.access_record(
            user=users[CASE_REVIEWER],
            action=AccessLog.Action.VIEW_DOCUMENT,
            document=waiting_document,
            ip_address="203.0.113.9",
            request_id="matrix",
        ),
        heartbeat=Heartbeat.objects.create(name="beat", seen_at=timezone.now()),
    )


def storages_in(folder) -> dict:
    default = settings.STORAGES["default"]
    return {**settings.STORAGES, "default": {**default, "OPTIONS": {**default["OPTIONS"], "location": str(folder)}}}


@pytest.fixture(autouse=True)
def private_media(settings, private_media_root):
    """Every test here reads the files the module's data stored once, in the folder the module shares."""
    settings.STORAGES = storages_in(private_media_root)
    return private_media_root


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, private_media_root) -> Iterator[World]:
    """Build one object of each kind and sign every role in, once; roll it all back after the module."""
    with django_db_blocker.unblock(), override_settings(STORAGES=storages_in(private_media_root)), transaction.atomic():
        built = build_world()
        for role, user in built.users.items():
            browser = Client()
            log_in(browser, user.email)
            # As if the password had just been asked again: the two-factor pages then open, not ask for it.
            reauthenticate(browser)
            built.sessions[role] = browser.session.session_key
        yield built
        transaction.set_rollback(True)


def browser_as(world: World, role: str) -> Client:
    browser = Client()
    if role != ANONYMOUS:
        browser.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return browser


# --- The matrix ------------------------------------------------------------------------------------

Url = Callable[[World], str]


@dataclass(frozen=True)
class Access:
    """How to fill one route's arguments, and who may open it."""

    url: Url
    allowed: frozenset[str]
    label: str = ""  # tells apart two ways of filling the same route
    # Only a POST does anything: a GET is refused for everyone, and a refused POST must change nothing.
    post: Callable[[World], dict] | None = None
    # A page that opens for `allowed` and acts on a POST of `post` only for these; a refused POST changes nothing.
    changes: frozenset[str] | None = None
    # The route only redirects to another admin page: judge the page it leads to.
    follow: bool = False
    # One patient's own object: anyone else signed in gets 404, the answer whether or not it exists.
    owned: bool = False


def fixed(path: str) -> Url:
    return lambda w: path


def model_admin(app_model: str, obj: Callable[[World], object], *, view, add, delete) -> dict[str, Access]:
    """The six routes the admin gives a registered model; its change page opens for those who may view."""
    base = f"admin/{app_model}/"

    def page(suffix: str) -> Url:
        return lambda w: f"/{base}{obj(w).pk}/{suffix}"

    return {
        base: Access(fixed(f"/{base}"), view),
        f"{base}add/": Access(fixed(f"/{base}add/"), add),
        f"{base}<path:object_id>/history/": Access(page("history/"), view),
        f"{base}<path:object_id>/delete/": Access(page("delete/"), delete),
        f"{base}<path:object_id>/change/": Access(page("change/"), view),
        f"{base}<path:object_id>/": Access(page(""), view, follow=True),
    }


def view_on_site(model, obj: Callable[[World], object]) -> Url:
    return lambda w: reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(model).pk, obj(w).pk])


def an_upload(w: World) -> dict:
    return {"files": SimpleUploadedFile("scan.pdf", files.pdf("Sent by someone else"), "application/pdf")}


PUBLIC_SITE = {
    "": Access(fixed("/"), EVERYONE),
    "answers/<slug:slug>/": Access(lambda w: w.article.get_absolute_url(), EVERYONE),
    "answers/<slug:slug>/questions/": Access(lambda w: f"{w.article.get_absolute_url()}questions/", EVERYONE),
    "cancer/": Access(fixed("/cancer/"), EVERYONE),
    "cancer/<slug:slug>/": Access(lambda w: w.article.cancer_type.get_absolute_url(), EVERYONE),
    "cancer/<slug:slug>/answers/": Access(lambda w: f"{w.article.cancer_type.get_absolute_url()}answers/", EVERYONE),
    "cancer/<slug:slug>/answers/<slug:topic_slug>/": Access(
        lambda w: f"{w.article.cancer_type.get_absolute_url()}answers/{w.topic.slug}/", EVERYONE
    ),
    "cancer/<slug:slug>/feed.rss": Access(lambda w: f"{w.article.cancer_type.get_absolute_url()}feed.rss", EVERYONE),
    "cancer/<slug:slug>/feed.atom": Access(lambda w: f"{w.article.cancer_type.get_absolute_url()}feed.atom", EVERYONE),
    "search/": Access(fixed("/search/?q=finding"), EVERYONE),
    "feed.rss": Access(fixed("/feed.rss"), EVERYONE),
    "feed.atom": Access(fixed("/feed.atom"), EVERYONE),
    "sitemap.xml": Access(fixed("/sitemap.xml"), EVERYONE),
    "robots.txt": Access(fixed("/robots.txt"), EVERYONE),
    "healthz": Access(fixed("/healthz"), EVERYONE),
    "readyz": Access(fixed("/readyz"), EVERYONE),
    # Records the click and sends the reader on: to sign up, or to start a case once signed in.
    "get-guidance/": Access(lambda w: f"/get-guidance/?{urlencode({'article': w.article.slug})}", EVERYONE),
}


def case_page(suffix: str, case: Callable[[World], Case]) -> Url:
    return lambda w: f"{case(w).get_absolute_url()}{suffix}"


PATIENT_SITE = {
    # A signed-in person's own requests and account: staff accounts have them too, empty.
    "cases/": Access(fixed("/cases/"), SIGNED_IN),
    "cases/new/": Access(fixed("/cases/new/"), SIGNED_IN),
    "cases/<uuid:case_id>/": Access(case_page("", lambda w: w.waiting_case), OWNER, owned=True),
    "cases/<uuid:case_id>/consent/": Access(case_page("consent/", lambda w: w.draft_case), OWNER, owned=True),
    "cases/<uuid:case_id>/diagnosis/": Access(case_page("diagnosis/", lambda w: w.draft_case), OWNER, owned=True),
    "cases/<uuid:case_id>/records/": Access(case_page("records/", lambda w: w.draft_case), OWNER, owned=True),
    "cases/<uuid:case_id>/check/": Access(case_page("check/", lambda w: w.draft_case), OWNER, owned=True),
    "cases/<uuid:case_id>/withdraw/": Access(case_page("withdraw/", lambda w: w.waiting_case), OWNER, owned=True),
    "cases/<uuid:case_id>/follow-up/": Access(
        case_page("follow-up/", lambda w: w.answered_case),
        OWNER,
        post=lambda w: {"text": "Is this still right for me?"},
        owned=True,
    ),
    # The released guidance as a PDF letter: the owner, and the staff who review cases (with two-factor).
    "cases/<uuid:case_id>/letter/": Access(case_page("letter/", lambda w: w.answered_case), OWNER | CASES, owned=True),
    "cases/<uuid:case_id>/documents/": Access(
        case_page("documents/", lambda w: w.draft_case), OWNER, post=an_upload, owned=True
    ),
    "cases/<uuid:case_id>/documents/<uuid:document_id>/remove/": Access(
        lambda w: f"{w.draft_case.get_absolute_url()}documents/{w.draft_document.public_id}/remove/",
        OWNER,
        post=lambda w: {},
        owned=True,
    ),
    # The owner, and the staff who review cases (with two-factor), once the scanner passed the file.
    "cases/<uuid:case_id>/documents/<uuid:document_id>/download/": Access(
        lambda w: f"{w.waiting_case.get_absolute_url()}documents/{w.waiting_document.public_id}/download/",
        OWNER | CASES,
        owned=True,
    ),
    "accounts/your-data/": Access(fixed("/accounts/your-data/"), SIGNED_IN),
    # Without asking for the export first, both send the signed-in back to ask.
    "accounts/your-data/started/": Access(fixed("/accounts/your-data/started/"), SIGNED_IN),
    "accounts/your-data/download/": Access(fixed("/accounts/your-data/download/"), SIGNED_IN),
    # Staff accounts are closed by an administrator, not by their holder.
    "accounts/delete/": Access(fixed("/accounts/delete/"), PATIENTS),
}

ACCOUNTS = {
    # Signed-in people are sent on from the login and signup pages; that is an answer, not a refusal.
    "accounts/login/": Access(fixed("/accounts/login/"), EVERYONE),
    "accounts/signup/": Access(fixed("/accounts/signup/"), EVERYONE),
    "accounts/logout/": Access(fixed("/accounts/logout/"), EVERYONE),
    "accounts/inactive/": Access(fixed("/accounts/inactive/"), EVERYONE),
    "accounts/reauthenticate/": Access(fixed("/accounts/reauthenticate/"), SIGNED_IN),
    "accounts/email/": Access(fixed("/accounts/email/"), SIGNED_IN),
    "accounts/confirm-email/": Access(fixed("/accounts/confirm-email/"), EVERYONE),
    "accounts/password/change/": Access(fixed("/accounts/password/change/"), SIGNED_IN),
    "accounts/password/set/": Access(fixed("/accounts/password/set/"), SIGNED_IN),
    "accounts/password/reset/": Access(fixed("/accounts/password/reset/"), EVERYONE),
    "accounts/password/reset/done/": Access(fixed("/accounts/password/reset/done/"), EVERYONE),
    "accounts/password/reset/key/done/": Access(fixed("/accounts/password/reset/key/done/"), EVERYONE),
    # Steps of a login in progress (a code by email, which is not enabled; the authenticator app's code):
    # opened directly, they send anonymous visitors to the login page and signed-in people on to their
    # start page, with nothing to confirm.
    "accounts/login/code/confirm/": Access(fixed("/accounts/login/code/confirm/"), SIGNED_IN),
    # A key that matches nothing: everyone gets the same "invalid or expired link" page, and nothing is confirmed.
    r"accounts/^confirm-email/(?P<key>[-:\w]+)/$": Access(fixed("/accounts/confirm-email/not-a-real-key/"), EVERYONE),
    r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Access(
        fixed("/accounts/password/reset/key/1-not-a-real-key/"), EVERYONE
    ),
    "accounts/2fa/": Access(fixed("/accounts/2fa/"), SIGNED_IN),
    # The same as accounts/login/code/confirm/: the second step of a login in progress.
    "accounts/2fa/authenticate/": Access(fixed("/accounts/2fa/authenticate/"), SIGNED_IN),
    "accounts/2fa/reauthenticate/": Access(fixed("/accounts/2fa/reauthenticate/"), SIGNED_IN),
    "accounts/2fa/totp/activate/": Access(fixed("/accounts/2fa/totp/activate/"), SIGNED_IN),
    # Where staff without two-factor are told to open the emailed link, and the link itself (here one that
    # matches nothing): everyone signed in who already has two-factor, or is a patient, is sent on to
    # the two-factor page; nothing is sent or spent.
    "accounts/2fa/setup/": Access(fixed("/accounts/2fa/setup/"), SIGNED_IN),
    "accounts/2fa/setup/<str:token>/": Access(fixed("/accounts/2fa/setup/not-a-real-token/"), SIGNED_IN),
    # Only staff have an authenticator app here; a patient has none to turn off and no codes to see.
    "accounts/2fa/totp/deactivate/": Access(fixed("/accounts/2fa/totp/deactivate/"), STAFF),
    "accounts/2fa/recovery-codes/": Access(fixed("/accounts/2fa/recovery-codes/"), STAFF),
    "accounts/2fa/recovery-codes/download/": Access(fixed("/accounts/2fa/recovery-codes/download/"), STAFF),
    # The page opens for anyone signed in; without an authenticator app its form refuses to make codes.
    "accounts/2fa/recovery-codes/generate/": Access(fixed("/accounts/2fa/recovery-codes/generate/"), SIGNED_IN),
}

ADMIN_SITE = {
    # Every member of staff has the admin's own pages; what each sees there is the models below.
    "admin/": Access(fixed("/admin/"), STAFF),
    # Sends anonymous visitors to the real login (two-factor applies there) and staff on to the admin.
    "admin/login/": Access(fixed("/admin/login/"), STAFF),
    # Those who are not staff are sent to the admin's index, which sends them to its login: judge that.
    "admin/logout/": Access(fixed("/admin/logout/"), STAFF, post=lambda w: {}, follow=True),
    "admin/password_change/": Access(fixed("/admin/password_change/"), STAFF),
    "admin/password_change/done/": Access(fixed("/admin/password_change/done/"), STAFF),
    "admin/jsi18n/": Access(fixed("/admin/jsi18n/"), STAFF),
    # Answers for the model the field points at: the articles an article may link to as related.
    "admin/autocomplete/": Access(
        fixed("/admin/autocomplete/?app_label=articles&model_name=article&field_name=related&term=finding"), ARTICLES
    ),
    # "View on site": a redirect to the object's own page, for those who may see the object in the admin
    # (a case's page is its owner's, but its address names the case's secret id).
    "admin/r/<int:content_type_id>/<path:object_id>/": (
        Access(view_on_site(Article, lambda w: w.article), ARTICLES, label="a published article"),
        Access(view_on_site(Case, lambda w: w.waiting_case), CASES, label="a patient's case"),
    ),
    r"admin/^(?P<app_label>account|mfa|navis|auth|articles|uploads)/$": (
        Access(fixed("/admin/auth/"), ADMINISTRATION, label="auth"),
        Access(fixed("/admin/account/"), SUPERUSER_ONLY, label="account"),
        Access(fixed("/admin/mfa/"), SUPERUSER_ONLY, label="mfa"),
        Access(fixed("/admin/navis/"), ADMINISTRATION, label="navis"),
        Access(fixed("/admin/articles/"), ARTICLES, label="articles"),
        Access(fixed("/admin/uploads/"), CASES | ADMINISTRATION, label="uploads"),
    ),
    # Any other address under admin/: there is nothing there for anyone.
    "admin/(?P<url>.*)$": Access(fixed("/admin/no-such-page/"), NOBODY),
}

# --- The user and role admin: staff and patient accounts apart (issue 11, M1) ----------------------


def user_page(suffix: str, user: Callable[[World], User]) -> Url:
    return lambda w: f"/admin/navis/user/{user(w).pk}/{suffix}"


def user_form(user: Callable[[World], User]) -> Callable[[World], dict]:
    """The user change form as a superuser would send it, giving the account the Case reviewer role."""

    def data(w: World) -> dict:
        target = user(w)
        return {
            "email": target.email,
            "full_name": "Changed by the matrix",
            "is_active": "on",
            "is_staff": "on",
            "groups": [str(Group.objects.get(name="Case reviewer").pk)],
            "date_joined_0": f"{target.date_joined:%Y-%m-%d}",
            "date_joined_1": f"{target.date_joined:%H:%M:%S}",
        }

    return data


def role_form(w: World) -> dict:
    return {"name": "Editor", "permissions": [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]}


# Whose account: a patient's, another member of staff's (the editor's) and a superuser's. Only a superuser
# changes a patient's or a superuser's account; nobody sets a password here (the password page sends a
# reset email, to staff by an administrator, to anyone by a superuser; one's own leads to allauth's page).
USER_TARGETS = (
    ("a patient", lambda w: w.patient, SUPERUSER_ONLY, SUPERUSER_ONLY),
    ("a member of staff", lambda w: w.users[EDITOR], ADMINISTRATION, ADMINISTRATION | {EDITOR}),
    ("a superuser", lambda w: w.users[SUPERUSER], SUPERUSER_ONLY, SUPERUSER_ONLY),
)
USER_ADMIN = {
    "admin/navis/user/": Access(fixed("/admin/navis/user/"), ADMINISTRATION),
    # A new account has no password: its holder is sent a reset email to choose one.
    "admin/navis/user/add/": Access(
        fixed("/admin/navis/user/add/"),
        ADMINISTRATION,
        changes=ADMINISTRATION,
        post=lambda w: {"email": "new@example.com"},
    ),
    "admin/navis/user/<path:object_id>/history/": tuple(
        Access(user_page("history/", user), ADMINISTRATION, label=label) for label, user, _, _ in USER_TARGETS
    ),
    "admin/navis/user/<path:object_id>/change/": tuple(
        Access(user_page("change/", user), ADMINISTRATION, label=label, changes=change, post=user_form(user))
        for label, user, change, _ in USER_TARGETS
    ),
    "admin/navis/user/<path:object_id>/": tuple(
        Access(user_page("", user), ADMINISTRATION, label=label, follow=True) for label, user, _, _ in USER_TARGETS
    ),
    "admin/navis/user/<id>/password/": tuple(
        Access(user_page("password/", user), reset, label=label, changes=reset, post=lambda w: {})
        for label, user, _, reset in USER_TARGETS
    ),
    "admin/navis/user/<path:object_id>/delete/": tuple(
        Access(
            user_page("delete/", user),
            SUPERUSER_ONLY,
            label=label,
            changes=SUPERUSER_ONLY,
            post=lambda w: {"post": "yes"},
        )
        for label, user, _, _ in USER_TARGETS
    ),
}
# Staff roles are a superuser's to create, change and delete; administrators see what each role may do.
ROLE_ADMIN = {
    "admin/auth/group/": Access(fixed("/admin/auth/group/"), ADMINISTRATION),
    "admin/auth/group/add/": Access(
        fixed("/admin/auth/group/add/"), SUPERUSER_ONLY, changes=SUPERUSER_ONLY, post=lambda w: {"name": "A new role"}
    ),
    "admin/auth/group/<path:object_id>/history/": Access(
        lambda w: f"/admin/auth/group/{w.users[EDITOR].groups.get().pk}/history/", ADMINISTRATION
    ),
    "admin/auth/group/<path:object_id>/change/": Access(
        lambda w: f"/admin/auth/group/{w.users[EDITOR].groups.get().pk}/change/",
        ADMINISTRATION,
        changes=SUPERUSER_ONLY,
        post=role_form,
    ),
    "admin/auth/group/<path:object_id>/": Access(
        lambda w: f"/admin/auth/group/{w.users[EDITOR].groups.get().pk}/", ADMINISTRATION, follow=True
    ),
    "admin/auth/group/<path:object_id>/delete/": Access(
        lambda w: f"/admin/auth/group/{w.users[EDITOR].groups.get().pk}/delete/",
        SUPERUSER_ONLY,
        changes=SUPERUSER_ONLY,
        post=lambda w: {"post": "yes"},
    ),
}

ADMIN_MODELS = {
    **ROLE_ADMIN,
    # Email addresses and authenticators are the accounts' own: only a superuser handles them by hand.
    **model_admin(
        "account/emailaddress",
        lambda w: EmailAddress.objects.get(user=w.patient),
        view=SUPERUSER_ONLY,
        add=SUPERUSER_ONLY,
        delete=SUPERUSER_ONLY,
    ),
    **model_admin(
        "mfa/authenticator",
        lambda w: Authenticator.objects.filter(user=w.users[EDITOR]).first(),
        view=SUPERUSER_ONLY,
        add=SUPERUSER_ONLY,
        delete=SUPERUSER_ONLY,
    ),
    **USER_ADMIN,
    # Written by the beat task only.
    **model_admin("navis/heartbeat", lambda w: w.heartbeat, view=SUPERUSER_ONLY, add=NOBODY, delete=SUPERUSER_ONLY),
    # Deleting a cancer type, topic or article takes public pages down: not an editorial role's to do.
    **model_admin(
        "articles/cancertype",
        lambda w: w.article.cancer_type,
        view=ARTICLES,
        add=ARTICLE_WRITERS,
        delete=SUPERUSER_ONLY,
    ),
    **model_admin("articles/topic", lambda w: w.topic, view=ARTICLES, add=ARTICLE_WRITERS, delete=SUPERUSER_ONLY),
    **model_admin("articles/article", lambda w: w.article, view=ARTICLES, add=ARTICLE_WRITERS, delete=SUPERUSER_ONLY),
    "admin/articles/article/<int:pk>/workflow/<str:action>/": Access(
        lambda w: reverse("admin:articles_article_workflow", args=[w.article.pk, "unpublish"]),
        ARTICLES,
        post=lambda w: {},
    ),
    "admin/articles/article/<int:pk>/preview/": Access(
        lambda w: reverse("admin:articles_article_preview", args=[w.article.pk]), ARTICLES
    ),
    "admin/articles/article/<int:pk>/revisions/<int:number>/": Access(
        lambda w: reverse("admin:articles_article_revision", args=[w.article.pk, 1]), ARTICLES
    ),
    "admin/articles/article/<int:pk>/revisions/<int:number>/restore/": Access(
        lambda w: reverse("admin:articles_article_restore", args=[w.article.pk, 1]), ARTICLES, post=lambda w: {}
    ),
    # Leads, consent records, cases, documents and the access log are written by what patients and
    # staff do: nobody adds or deletes them by hand (the access log is append-only).
    **model_admin("uploads/lead", lambda w: w.lead, view=ADMINISTRATION, add=NOBODY, delete=NOBODY),
    "admin/uploads/lead/export.csv": Access(fixed("/admin/uploads/lead/export.csv"), ADMINISTRATION),
    **model_admin(
        "uploads/consenttext", lambda w: w.consent_text, view=ADMINISTRATION, add=ADMINISTRATION, delete=NOBODY
    ),
    **model_admin("uploads/consent", lambda w: w.waiting_case.consent, view=CASES, add=NOBODY, delete=NOBODY),
    **model_admin("uploads/case", lambda w: w.waiting_case, view=CASES, add=NOBODY, delete=NOBODY),
    "admin/uploads/case/dashboard/": Access(fixed("/admin/uploads/case/dashboard/"), CASES),
    "admin/uploads/case/<int:pk>/act/<str:action>/": Access(
        lambda w: reverse("admin:uploads_case_act", args=[w.waiting_case.pk, "claim"]), CASES, post=lambda w: {}
    ),
    "admin/uploads/case/<int:pk>/documents/<uuid:document_id>/view/": Access(
        lambda w: reverse("admin:uploads_case_document_view", args=[w.waiting_case.pk, w.waiting_document.public_id]),
        CASES,
    ),
    **model_admin(
        "uploads/guidancetemplate",
        lambda w: w.guidance_template,
        view=CASES | ADMINISTRATION,
        add=ADMINISTRATION,
        delete=ADMINISTRATION,
    ),
    **model_admin("uploads/accesslog", lambda w: w.access_log, view=ADMINISTRATION, add=NOBODY, delete=NOBODY),
    **model_admin("uploads/document", lambda w: w.waiting_document, view=CASES, add=NOBODY, delete=NOBODY),
}
# A published consent text is what patients agreed to: nobody deletes it. A draft nobody has agreed to
# yet may go, but only by a superuser: administrators write and publish consent texts, they do not delete them.
ADMIN_MODELS["admin/uploads/consenttext/<path:object_id>/delete/"] = (
    Access(lambda w: f"/admin/uploads/consenttext/{w.consent_text.pk}/delete/", NOBODY, label="published"),
    Access(lambda w: f"/admin/uploads/consenttext/{w.draft_consent_text.pk}/delete/", SUPERUSER_ONLY, label="draft"),
)

MATRIX: dict[str, Access | tuple[Access, ...]] = {
    **PUBLIC_SITE,
    **PATIENT_SITE,
    **ACCOUNTS,
    **ADMIN_SITE,
    **ADMIN_MODELS,
}


# --- Every route is in the matrix ------------------------------------------------------------------


def served_routes(patterns=None, prefix: str = "") -> Iterator[str]:
    """Every URL pattern the project serves, as its full route (a regex where the pattern is one)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from served_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_every_served_route_is_in_the_matrix_and_nothing_else_is():
    served = Counter(served_routes())

    unlisted = sorted(set(served) - set(MATRIX))
    gone = sorted(set(MATRIX) - set(served))
    assert not unlisted, "Say who may reach these routes in MATRIX:\n  " + "\n  ".join(unlisted)
    assert not gone, "MATRIX lists routes the project no longer serves:\n  " + "\n  ".join(gone)
    assert all(count == 1 for count in served.values()), "Two patterns share a route: MATRIX cannot tell them apart"


# --- Each role gets what it should -----------------------------------------------------------------

ALLOWED, REFUSED = "allowed", "refused"


def gates() -> set[str]:
    """Where someone is sent to sign in, or to set up two-factor, before going on."""
    return {reverse(name) for name in ("account_login", "admin:login", "mfa_authenticate", "mfa_activate_totp")}


def is_redirect(response: HttpResponse) -> bool:
    return response.status_code in (301, 302, 303, 307, 308)


def outcome(response: HttpResponse) -> str:
    """Allowed: the page, or a redirect on to somewhere other than a gate. Refused: 403, 404 or a gate."""
    if response.status_code == 200:
        return ALLOWED
    if is_redirect(response):
        return REFUSED if urlsplit(response["Location"]).path in gates() else ALLOWED
    if response.status_code in (403, 404):
        return REFUSED
    return f"HTTP {response.status_code}"


def finish(response: HttpResponse) -> HttpResponse:
    """Read a streamed answer to its end, which closes its file as a server would."""
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def judged(browser: Client, access: Access, response: HttpResponse) -> HttpResponse:
    """The answer to judge: for a route that only redirects within the admin, the page it leads to."""
    if access.follow and is_redirect(response) and outcome(response) == ALLOWED:
        return finish(browser.get(response["Location"]))
    return response


def answer(response: HttpResponse) -> str:
    where = f" to {response['Location']}" if is_redirect(response) else ""
    return f"HTTP {response.status_code}{where}"


def cells(*, post_only: bool = False) -> list:
    params = []
    for route, accesses in MATRIX.items():
        for access in accesses if isinstance(accesses, tuple) else (accesses,):
            if post_only and access.post is None:
                continue
            for role in ROLES:
                if post_only and role in (access.allowed if access.changes is None else access.changes):
                    continue  # an allowed POST does something; the feature's own tests cover what
                label = f" ({access.label})" if access.label else ""
                params.append(pytest.param(route, access, role, id=f"{route}{label} as {role}"))
    return params


@pytest.mark.parametrize(("route", "access", "role"), cells())
def test_each_role_gets_exactly_what_it_should(world, route, access, role):
    browser = browser_as(world, role)
    url = access.url(world)

    response = judged(browser, access, finish(browser.get(url)))

    if access.post is not None and access.changes is None:
        expected = "HTTP 405" if role in access.allowed else {"HTTP 405", REFUSED}
        assert outcome(response) in expected, f"GET {url} as {role}: {answer(response)}; only a POST acts here"
        return
    expected = ALLOWED if role in access.allowed else REFUSED
    assert outcome(response) == expected, f"GET {url} as {role}: {answer(response)}, expected {expected}"
    if access.owned and expected == REFUSED and role != ANONYMOUS:
        assert response.status_code == 404, f"GET {url} as {role}: {answer(response)}; someone else's is a 404"


def database_state() -> dict[str, list[dict]]:
    """Every row of every table but the sessions (a request may note when staff were last seen)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model is not Session
    }


@pytest.mark.parametrize(("route", "access", "role"), cells(post_only=True))
def test_a_refused_post_changes_nothing(world, route, access, role):
    browser = browser_as(world, role)
    url = access.url(world)
    before = database_state()

    response = judged(browser, access, finish(browser.post(url, access.post(world))))

    assert outcome(response) == REFUSED, f"POST {url} as {role}: {answer(response)}, expected refused"
    if access.owned and role != ANONYMOUS:
        assert response.status_code == 404, f"POST {url} as {role}: {answer(response)}; someone else's is a 404"
    assert database_state() == before, f"POST {url} as {role} was refused but changed the database"
    if role != ANONYMOUS:
        assert Session.objects.filter(session_key=world.sessions[role]).exists(), f"POST {url} signed {role} out"


# --- No copy of a patient page stays in a cache ----------------------------------------------------


def patient_cells() -> list:
    params = []
    for route, accesses in {**PATIENT_SITE, **ACCOUNTS}.items():
        for access in accesses if isinstance(accesses, tuple) else (accesses,):
            for role in (PATIENT, ANONYMOUS):
                params.append(pytest.param(access, role, id=f"{route} as {role}"))
    return params


@pytest.mark.parametrize(("access", "role"), patient_cells())
def test_every_patient_page_is_kept_out_of_every_cache(world, access, role):
    browser = browser_as(world, role)
    url = access.url(world)

    response = finish(browser.get(url))

    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, f"GET {url} as {role}: Cache-Control {directives}"
