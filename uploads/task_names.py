"""The names the pipeline's tasks are registered and sent under, and the queues, in one place.

Services send tasks by name (uploads/services/dispatch.py) rather than importing uploads/tasks.py,
which imports the services; settings name the reconciler for beat. Nothing here imports Django.
"""

CASE_PROCESS = "uploads.tasks.case_process"
DOCUMENT_PROCESS = "uploads.tasks.document_process"
NOTIFICATIONS_SEND = "uploads.tasks.notifications_send"
RECONCILE = "uploads.tasks.reconcile"

# Every worker consumes both queues: the reconciler's own stays short however long the other grows.
DEFAULT_QUEUE = "celery"
RECONCILE_QUEUE = "reconcile"
QUEUES = (DEFAULT_QUEUE, RECONCILE_QUEUE)
