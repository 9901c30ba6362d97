from .models import AuditEvent


def audit_log(*, actor, verb: str, target, message: str = "", data: dict | None = None) -> AuditEvent:
    """Record an audit event for ``target``; callers run inside their own transaction."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        message=message,
        data=data or {},
    )
