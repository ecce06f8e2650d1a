from dataclasses import dataclass

from django import forms
from django.http import HttpRequest

from articles.models import CancerType
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


@dataclass(frozen=True)
class Biomarker:
    key: str
    label: str
    suggestions: tuple[str, ...]
    help_text: str = ""


# Markers that guide treatment of stomach and oesophageal cancer first; any other result goes in the
# free-text box. Each answer is free text, with the usual results offered as suggestions.
BIOMARKERS = [
    Biomarker(
        "her2",
        "HER2",
        ("Positive (3+)", "2+ and ISH/FISH positive", "2+ and ISH/FISH negative", "Negative (0 or 1+)"),
        "The result as your report gives it, for example 3+.",
    ),
    Biomarker("pd_l1_cps", "PD-L1 (CPS)", ("CPS under 1", "CPS 1 to 4", "CPS 5 to 9", "CPS 10 or more")),
    Biomarker(
        "msi_mmr",
        "MSI / MMR",
        ("MSI-high / dMMR (mismatch repair deficient)", "MSS / pMMR (mismatch repair proficient)"),
    ),
    Biomarker("cldn18_2", "Claudin 18.2 (CLDN18.2)", ("Positive (75% or more of cells)", "Negative")),
]


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

    def __init__(self, *args, complete: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.complete = complete
        saved = self.instance.biomarkers or {}
        for marker in BIOMARKERS:
            self.fields[f"biomarker_{marker.key}"] = forms.CharField(
                label=marker.label,
                required=False,
                max_length=200,
                help_text=marker.help_text,
                initial=saved.get(marker.label, ""),
                widget=SuggestingTextInput(marker.suggestions),
            )
        # Markers come after the stage and before the free-text results, as the page reads.
        order = ["cancer_type", "cancer_type_other", "stage", *(f"biomarker_{m.key}" for m in BIOMARKERS)]
        self.order_fields([*order, "biomarkers_other", "treatment_so_far", "current_treatment", "questions"])

    @property
    def biomarker_fields(self) -> list:
        return [self[f"biomarker_{m.key}"] for m in BIOMARKERS]

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.complete:
            if not cleaned.get("cancer_type") and not cleaned.get("cancer_type_other", "").strip():
                self.add_error("cancer_type", "Choose the type of cancer, or write it in the box below.")
            if not cleaned.get("questions", "").strip():
                self.add_error("questions", "Tell us at least one question you want answered.")
        return cleaned

    def answers(self) -> dict:
        """The cleaned answers as case_diagnosis_update takes them."""
        data = {field: self.cleaned_data[field] for field in self.Meta.fields}
        data["biomarkers"] = {
            m.label: self.cleaned_data[f"biomarker_{m.key}"].strip()
            for m in BIOMARKERS
            if self.cleaned_data[f"biomarker_{m.key}"].strip()
        }
        return data


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label="Ask a follow-up question",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "follow-up-help"}),
        error_messages={"required": "Write your question before sending it."},
    )
