import hashlib

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from articles.models import Article, CancerType, Topic
from navis.models import User
from tests.uploads import samples
from uploads.models import Case, CaseStatus, Document, Stage
from uploads.pipeline.content_types import sniff_content_type

PASSWORD = "a long test password"
# Every staff factory account's authenticator-app secret (tests type its current code).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """The email address is verified, as allauth requires before login; verified=False for one that is not."""
        if create:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=extracted is not False)


class StaffFactory(UserFactory):
    """Staff with two-factor set up, as the admin requires; StaffFactory(two_factor=False) for one without."""

    is_staff = True

    @factory.post_generation
    def two_factor(self, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(self, TOTP_SECRET)
            RecoveryCodes.activate(self)


class CancerTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CancerType
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Cancer type {n}")
    slug = factory.Sequence(lambda n: f"cancer-type-{n}")
    description = "A short description."


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A working copy with questions, resources and sources (counts set with questions=N etc.)."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"What does test finding {n} mean?")
    slug = factory.Sequence(lambda n: f"what-does-test-finding-{n}-mean")
    cancer_type = factory.SubFactory(CancerTypeFactory)
    summary = "A short, plain summary of the answer for lists and search results."
    body = "The short answer first.\n\n## How it works\n\n1. **First** step.\n2. **Second** step.\n"
    byline = "Navis AI"

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        for i in range(2 if extracted is None else extracted):
            self.questions.create(text=f"Question {i + 1} for my team?", order=i)

    @factory.post_generation
    def resources(self, create, extracted, **kwargs):
        for i in range(1 if extracted is None else extracted):
            self.resources.create(name=f"Resource {i + 1}", url=f"https://example.org/r{i}", note="A note.", order=i)

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        for i in range(1 if extracted is None else extracted):
            self.sources.create(
                title=f"Source {i + 1}", publisher="Publisher", url=f"https://example.org/s{i}", order=i
            )


class ConsentTextFactory(factory.django.DjangoModelFactory):
    """A published consent text with two checkboxes."""

    class Meta:
        model = "uploads.ConsentText"

    version = factory.Sequence(lambda n: n + 1)
    title = "Before you share your records"
    body = "We read your records to advise you.\n\nOnly our team sees them."
    items = factory.LazyFunction(
        lambda: [
            {"key": "process", "label": "I agree that Navis may read my records to advise me."},
            {"key": "not_advice", "label": "I understand this does not replace my care team."},
        ]
    )
    published_at = factory.LazyFunction(timezone.now)


class CaseFactory(factory.django.DjangoModelFactory):
    """A case as the patient submitted it (status=CaseStatus.DRAFT for one still being written)."""

    class Meta:
        model = Case

    owner = factory.SubFactory(UserFactory)
    status = CaseStatus.SUBMITTED
    cancer_type = factory.SubFactory(CancerTypeFactory, name="Stomach cancer", slug="stomach", profile="stomach")
    stage = Stage.STAGE_2
    biomarkers = factory.LazyFunction(lambda: {"her2": "positive", "pd_l1": "CPS 8"})
    questions = "Which treatments could I ask my team about?"
    submitted_at = factory.LazyAttribute(lambda case: timezone.now() if case.status != CaseStatus.DRAFT else None)


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document stored in private storage as it arrived; pass content=bytes (a small letter by default)."""

    class Meta:
        model = Document

    class Params:
        content = factory.Sequence(lambda n: samples.text_pdf(f"Clinic letter {n}\nDear Dr Okafor,\nPlan: follow-up."))

    case = factory.SubFactory(CaseFactory)
    original_name = factory.Sequence(lambda n: f"record-{n}.pdf")
    file = factory.LazyAttribute(lambda document: ContentFile(document.content, name="upload"))
    size = factory.LazyAttribute(lambda document: len(document.content))
    sha256 = factory.LazyAttribute(lambda document: hashlib.sha256(document.content).hexdigest())
    content_type = factory.LazyAttribute(lambda document: sniff_content_type(ContentFile(document.content)))
