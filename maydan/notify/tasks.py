"""Starting the send of new notifications: a task on the queue, or in-process where there is no queue."""
import logging

log = logging.getLogger(__name__)


def kick():
    """After a commit that wrote notifications: send them now. A queue that cannot be reached loses
    nothing, the rows wait for the next scheduled round."""
    from ..tasks import send_notifications

    try:
        send_notifications.delay()
    except Exception:  # noqa: BLE001 a broker outage must not fail the change that was just committed
        log.warning("could not queue the sending of notifications; the next scheduled round sends them")
