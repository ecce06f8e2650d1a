"""The editorial workflow: which action moves an article from which status to which, and who may."""

from dataclasses import dataclass

from articles.models import ArticleStatus

S = ArticleStatus


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    permission: str
    label: str


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("submit", frozenset({S.DRAFT}), S.IN_REVIEW, "articles.submit_article", "Submit for medical review"),
        Transition("approve", frozenset({S.IN_REVIEW}), S.APPROVED, "articles.review_article", "Approve this text"),
        Transition(
            "send_back", frozenset({S.IN_REVIEW}), S.DRAFT, "articles.review_article", "Send back to the editor"
        ),
        # A live text past its review date: still accurate, or a draft for the editor (articles/services.py).
        Transition(
            "reapprove", frozenset({S.PUBLISHED}), S.PUBLISHED, "articles.review_article", "Still accurate: re-approve"
        ),
        Transition(
            "needs_changes",
            frozenset({S.PUBLISHED}),
            S.DRAFT,
            "articles.review_article",
            "Needs changes: to the editor",
        ),
        Transition(
            "publish", frozenset({S.APPROVED, S.SCHEDULED}), S.PUBLISHED, "articles.publish_article", "Publish now"
        ),
        Transition("schedule", frozenset({S.APPROVED}), S.SCHEDULED, "articles.publish_article", "Schedule"),
        Transition(
            "unschedule", frozenset({S.SCHEDULED}), S.APPROVED, "articles.publish_article", "Cancel the schedule"
        ),
        Transition("unpublish", frozenset({S.PUBLISHED}), S.UNPUBLISHED, "articles.publish_article", "Unpublish"),
        # The live revision was approved as it stands, so it may go back up unchanged.
        Transition("republish", frozenset({S.UNPUBLISHED}), S.PUBLISHED, "articles.publish_article", "Publish again"),
    ]
}


class WorkflowError(Exception):
    """An action that the article's status or the person's role does not allow."""


def transition_for(action: str, status: str) -> Transition:
    """Return the transition for `action` from `status`, or raise WorkflowError saying why not."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise WorkflowError(f"Unknown action {action!r}.")
    if status not in transition.sources:
        allowed = ", ".join(sorted(S(s).label.lower() for s in transition.sources))
        current = S(status).label.lower()
        raise WorkflowError(
            f'"{transition.label}" is not possible while the article is {current} (only when {allowed}).'
        )
    return transition


def available_actions(status: str) -> list[Transition]:
    """The transitions that start from `status`, in the order the admin shows them."""
    return [t for t in TRANSITIONS.values() if status in t.sources]
