from django import forms
from django.http import HttpRequest

from articles.models import CancerType
from articles.profiles import CancerProfile, profile_for
from uploads.models import Case, ConsentText, Stage
from uploads.services.intake import lead_sign_up

LEAD_SESSION_KEY = "navis_lead"


class SignupExtraForm(forms.Form):
    """What the sign-up form asks beyond email and password (settings.ACCOUNT_SIGNUP_FORM_CLASS)."""

    contact_consent = forms.BooleanField(
        required=False,
        label="You may email me about my request, for example if I stop partway through",
        help_text="Optional. Unticked, we only email you about your account and the requests you send.",
    )

    def signup(self, request: HttpRequest, user) -> None:
        lead_sign_up(
            user=user,
            lead_public_id=request.session.pop(LEAD_SESSION_KEY, None),
            contact_consent=self.cleaned_data["contact_consent"],
        )


class ConsentForm(forms.Form):
    """One checkbox for each item of the consent text; every one must be ticked."""

    def __init__(self, *args, consent_text: ConsentText, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for item in consent_text.items:
            self.fields[f"item_{item['key']}"] = forms.BooleanField(
                label=item["label"], error_messages={"required": "Tick this box to agree, or stop here."}
            )

    def accepted_keys(self) -> list[str]:
        return [name.removeprefix("item_") for name, value in self.cleaned_data.items() if value]


# Offered beside every marker's usual results: a patient may not have had the test, or not know.
NOT_TESTED = "Not tested"
DONT_KNOW = "I don't know"


class SuggestingTextInput(forms.TextInput):
    """A text box that offers common answers (a datalist) and still takes any text."""

    template_name = "uploads/widgets/suggesting_input.html"

    def __init__(self, suggestions: tuple[str, ...], attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.suggestions = suggestions

    def get_context(self, name, value, attrs) -> dict:
        context = super().get_context(name, value, attrs)
        context["widget"]["suggestions"] = self.suggestions
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}_suggestions"
        return context


class DiagnosisForm(forms.ModelForm):
    """Step 2. With complete=True (Continue) the answers we need are required; saving for later takes any."""

    cancer_type = forms.ModelChoiceField(
        queryset=CancerType.objects.all(),
        required=False,
        empty_label="Choose one",
        label="Type of cancer",
        help_text="If yours is not listed, leave this and write it in the next box.",
    )
    stage = forms.ChoiceField(
        choices=Stage.choices,
        widget=forms.RadioSelect,
        initial=Stage.UNKNOWN,
        label="Stage, if you know it",
    )

    class Meta:
        model = Case
        fields = [
            "cancer_type",
            "cancer_type_other",
            "stage",
            "biomarkers_other",
            "treatment_so_far",
            "current_treatment",
            "questions",
        ]
        labels = {
            "cancer_type_other": "Another type of cancer",
            "biomarkers_other": "Other test results",
            "treatment_so_far": "Treatment so far",
            "current_treatment": "Current treatment",
            "questions": "Your questions",
        }
        help_texts = {
            "biomarkers_other": "Any other marker or genetic test and its result, in your own words.",
            "treatment_so_far": "Operations, chemotherapy, radiotherapy or other treatment, with rough dates.",
            "current_treatment": "What you are having now, if anything.",
            "questions": "What you want our specialists to answer. One question per line is fine.",
        }
        widgets = {
            "biomarkers_other": forms.Textarea(attrs={"rows": 3}),
            "treatment_so_far": forms.Textarea(attrs={"rows": 4}),
            "current_treatment": forms.Textarea(attrs={"rows": 3}),
            "questions": forms.Textarea(attrs={"rows": 5}),
        }

    # The profile whose questions the page showed: a different type chosen since shows its own first.
    questions_for = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, complete: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.complete = complete
        self.profile = self._chosen_profile()
        self.initial["questions_for"] = self.profile.slug
        self.fields["stage"].label = self.profile.stage_label
        saved = self.instance.biomarkers if isinstance(self.instance.biomarkers, dict) else {}
        for marker in self.profile.markers:
            self.fields[f"biomarker_{marker.key}"] = forms.CharField(
                label=marker.label,
                required=False,
                max_length=200,
                help_text=marker.hint,
                initial=saved.get(marker.key, ""),
                widget=SuggestingTextInput((*marker.suggestions, NOT_TESTED, DONT_KNOW)),
            )
        details = self.instance.diagnosis_details if isinstance(self.instance.diagnosis_details, dict) else {}
        for detail in self.profile.details:
            self.fields[f"detail_{detail.key}"] = forms.CharField(
                label=detail.label,
                required=False,
                max_length=100,
                help_text=detail.hint,
                initial=details.get(detail.key, ""),
                widget=SuggestingTextInput((*detail.suggestions, DONT_KNOW)),
            )
        # As the page reads: the type, the stage and its details, the markers, then the free text.
        self.order_fields(
            [
                "cancer_type",
                "cancer_type_other",
                "stage",
                *(f"detail_{detail.key}" for detail in self.profile.details),
                *(f"biomarker_{marker.key}" for marker in self.profile.markers),
                "biomarkers_other",
                "treatment_so_far",
                "current_treatment",
                "questions",
            ]
        )

    def _chosen_profile(self) -> CancerProfile:
        """The profile of the type chosen on this post (or offered to the form), else of the case's type."""
        if self.is_bound:
            chosen = self.data.get(self.add_prefix("cancer_type"), "")
        else:
            chosen = self.initial.get("cancer_type", "")
        if isinstance(chosen, CancerType):
            return chosen.cancer_profile
        if str(chosen).isdigit():
            return profile_for(CancerType.objects.filter(pk=chosen).values_list("profile", flat=True).first())
        if chosen in ("", None) and not self.is_bound and self.instance.cancer_type_id:
            return self.instance.profile
        return profile_for("")

    @property
    def biomarker_fields(self) -> list:
        return [self[f"biomarker_{marker.key}"] for marker in self.profile.markers]

    @property
    def detail_fields(self) -> list:
        return [self[f"detail_{detail.key}"] for detail in self.profile.details]

    @property
    def shows_other_questions(self) -> bool:
        """Whether another type was chosen since the page was shown (its questions were not asked yet)."""
        shown = self.data.get(self.add_prefix("questions_for"), "")
        return self.is_bound and bool(shown) and shown != self.profile.slug

    def typed(self) -> dict:
        """What was posted, to show again (as initial values) with the chosen type's questions."""
        return {name: value for name, value in self.data.items() if name != "csrfmiddlewaretoken"}

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.complete:
            if not cleaned.get("cancer_type") and not cleaned.get("cancer_type_other", "").strip():
                self.add_error("cancer_type", "Choose the type of cancer, or write it in the box below.")
            if not cleaned.get("questions", "").strip():
                self.add_error("questions", "Tell us at least one question you want answered.")
        return cleaned

    def answers(self) -> dict:
        """The cleaned answers as case_diagnosis_update takes them: markers and details under their keys."""
        data = {field: self.cleaned_data[field] for field in self.Meta.fields}
        data["biomarkers"] = {
            marker.key: answer
            for marker in self.profile.markers
            if (answer := self.cleaned_data[f"biomarker_{marker.key}"].strip())
        }
        data["diagnosis_details"] = {
            detail.key: answer
            for detail in self.profile.details
            if (answer := self.cleaned_data[f"detail_{detail.key}"].strip())
        }
        return data


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label="Ask a follow-up question",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "follow-up-help"}),
        error_messages={"required": "Write your question before sending it."},
    )
