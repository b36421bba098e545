"""Merge a duplicate organisation into the one that stays.

Every row that refers to an organisation is found through the model's reverse relations
(``Organisation._meta.related_objects``), so a relation added later in any app moves along
without a change here. The preview runs the very same merge and rolls it back, so what it
shows is what the confirmation does.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kitz_portal.errors import PortalError

from . import permissions
from .models import Membership, Organisation, SecurityEventKind
from .security import log_security_event

# Sent inside the merge transaction: sender=Organisation, source, target, actor,
# moved={model: [pk, …]} for the rows that now refer to the target.
organisation_merged = Signal()

ITEMS_SHOWN = 10


class _DryRun(Exception):  # noqa: N818 - a control-flow signal, not an error
    def __init__(self, plan):
        super().__init__("dry run")
        self.plan = plan


@dataclass
class Relation:
    """One kind of row that refers to an organisation."""

    model: type
    field_name: str
    label: str
    # For many-to-many relations: the name of the through model's other side, to show items.
    shown_through: str | None = None

    def rows(self, organisation):
        return self.model._base_manager.filter(**{self.field_name: organisation}).order_by("pk")

    @property
    def is_unique_per_organisation(self):
        """True when moving a row can collide with a row the target already has."""
        model_field = self.model._meta.get_field(self.field_name)
        if model_field.unique:
            return True
        if any(self.field_name in names for names in self.model._meta.unique_together):
            return True
        return any(
            isinstance(constraint, models.UniqueConstraint)
            and self.field_name in (constraint.fields or ())
            for constraint in self.model._meta.constraints
        )

    def describe(self, row):
        return str(getattr(row, self.shown_through) if self.shown_through else row)


@dataclass
class RelationPlan:
    label: str
    count: int
    combined: int = 0
    items: list = field(default_factory=list)


@dataclass
class MergePlan:
    source: Organisation
    target: Organisation
    relations: list
    fingerprint: str

    @property
    def moved_relations(self):
        return [relation for relation in self.relations if relation.count]


def organisation_relations():
    """Every relation pointing at Organisation, found generically."""
    relations = []
    for rel in Organisation._meta.related_objects:
        if rel.many_to_many:
            through = rel.through
            if not through._meta.auto_created:
                continue  # an explicit through model appears as its own foreign key
            relations.append(
                Relation(
                    model=through,
                    field_name=rel.field.m2m_reverse_field_name(),
                    label=f"{rel.related_model._meta.verbose_name_plural} "
                    f"({rel.field.verbose_name})",
                    shown_through=rel.field.m2m_field_name(),
                )
            )
            continue
        label = str(rel.related_model._meta.verbose_name_plural)
        if rel.related_model is Organisation:
            label = gettext("früher zusammengeführte Dubletten")
        relations.append(Relation(model=rel.related_model, field_name=rel.field.name, label=label))
    for m2m in Organisation._meta.many_to_many:
        through = m2m.remote_field.through
        if through._meta.auto_created:
            relations.append(
                Relation(
                    model=through,
                    field_name=m2m.m2m_field_name(),
                    label=f"{m2m.verbose_name}",
                    shown_through=m2m.m2m_reverse_field_name(),
                )
            )
    return relations


def _require_administrator(actor):
    if not permissions.is_administrator(actor):
        raise PortalError(_("Nur die Administration darf Organisationen zusammenführen."))


def _locked_pair(source, target):
    if source.pk == target.pk:
        raise PortalError(
            _("Eine Organisation kann nicht mit sich selbst zusammengeführt werden."),
            field="target",
        )
    # Always lock in the same order, so two merges of the same pair cannot deadlock.
    locked = {
        organisation.pk: organisation
        for organisation in Organisation.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    source, target = locked[source.pk], locked[target.pk]
    if not source.is_active:
        raise PortalError(
            _("„%(name)s“ ist bereits mit einer anderen Organisation zusammengeführt.")
            % {"name": source.name}
        )
    if not target.is_active:
        raise PortalError(
            _("„%(name)s“ ist deaktiviert. Wählen Sie eine aktive Organisation als Ziel.")
            % {"name": target.name},
            field="target",
        )
    return source, target


def _snapshot(relations, source, target):
    """Lock the rows that move and describe them; the hash reveals any change since."""
    state = {"target_members": []}
    snapshot = []
    for relation in relations:
        rows = list(relation.rows(source).select_for_update())
        state[f"{relation.model._meta.label}.{relation.field_name}"] = [row.pk for row in rows]
        snapshot.append((relation, rows))
    state["target_members"] = list(
        Membership.objects.select_for_update()
        .filter(organisation=target)
        .order_by("user_id")
        .values_list("user_id", "is_manager")
    )
    digest = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()
    return snapshot, digest[:32]


def _move_membership(row, target):
    """A person in both keeps one membership: the stronger role and the earlier date."""
    kept = Membership.objects.filter(organisation=target, user_id=row.user_id).first()
    if kept is None:
        Membership.objects.filter(pk=row.pk).update(organisation=target)
        return False
    kept.is_manager = kept.is_manager or row.is_manager
    kept.save(update_fields=["is_manager"])
    Membership.objects.filter(pk=kept.pk).update(joined_at=min(kept.joined_at, row.joined_at))
    row.delete()
    return True


def _move_unique_row(relation, row, target):
    """Move one row; if the target already has its twin, the twin stays and this one goes."""
    manager = relation.model._base_manager
    try:
        with transaction.atomic():
            manager.filter(pk=row.pk).update(**{relation.field_name: target})
    except IntegrityError:
        manager.filter(pk=row.pk).delete()
        return True
    return False


def _merge(*, actor, source, target, fingerprint=None, request=None):
    _require_administrator(actor)
    source, target = _locked_pair(source, target)
    relations = organisation_relations()
    snapshot, digest = _snapshot(relations, source, target)
    if fingerprint is not None and fingerprint != digest:
        raise PortalError(
            _(
                "Seit der Vorschau hat sich bei den Organisationen etwas geändert. Bitte prüfen "
                "Sie die Vorschau erneut und bestätigen Sie dann."
            )
        )
    plans, moved = [], {}
    for relation, rows in snapshot:
        plan = RelationPlan(
            label=relation.label,
            count=len(rows),
            items=[relation.describe(row) for row in rows[:ITEMS_SHOWN]],
        )
        if relation.model is Membership:
            plan.combined = sum(_move_membership(row, target) for row in rows)
        elif relation.is_unique_per_organisation:
            plan.combined = sum(_move_unique_row(relation, row, target) for row in rows)
        elif rows:
            relation.rows(source).update(**{relation.field_name: target})
        moved.setdefault(relation.model, []).extend(row.pk for row in rows)
        plans.append(plan)
    source.is_active = False
    source.merged_into = target
    source.merged_at = timezone.now()
    source.save(update_fields=["is_active", "merged_into", "merged_at"])
    summary = ", ".join(f"{plan.count} {plan.label}" for plan in plans if plan.count)
    log_security_event(
        kind=SecurityEventKind.ORGANISATIONS_MERGED,
        actor=actor,
        request=request,
        email=actor.email,
        detail=f"{source.name} (#{source.pk}) → {target.name} (#{target.pk}): {summary or '–'}",
    )
    organisation_merged.send(
        sender=Organisation, source=source, target=target, actor=actor, moved=moved
    )
    return MergePlan(source=source, target=target, relations=plans, fingerprint=digest)


def plan_merge(*, actor, source, target):
    """What a merge would move, computed by merging and rolling back."""
    try:
        with transaction.atomic():
            plan = _merge(actor=actor, source=source, target=target)
            raise _DryRun(plan)
    except _DryRun as dry_run:
        plan = dry_run.plan
    source.refresh_from_db()
    target.refresh_from_db()
    plan.source, plan.target = source, target
    return plan


@transaction.atomic
def merge_organisations(*, actor, source, target, fingerprint, request=None):
    """Move everything of ``source`` to ``target`` and deactivate ``source``.

    ``fingerprint`` comes from the preview the person confirmed; a change since then
    (a new application, a new member …) refuses the merge instead of moving unseen rows.
    """
    return _merge(
        actor=actor, source=source, target=target, fingerprint=fingerprint, request=request
    )
