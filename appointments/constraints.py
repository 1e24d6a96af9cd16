"""No two active appointments of one doctor (or one patient) overlap: enforced by the database.

PostgreSQL: an exclusion constraint, `key WITH =, tstzrange(start, end, '[)') WITH &&`, limited to
the active statuses (needs btree_gist, created by the migration), where start and end are the
constraint's fields: the blocked time (visit and buffers) for the doctor, the visit for the
patient. `[)` lets back-to-back slots coexist.

SQLite has no exclusion constraints, so the same rule is two triggers (before insert, before
update) that abort with the constraint's name. They are created from `constraint_sql` through
the schema editor's deferred SQL, so Django re-creates them whenever it rebuilds the table (SQLite
drops a table's triggers with it).

Either way the database refuses the second row with an IntegrityError naming the constraint;
the booking services turn that into 409 (services.common.save_checked) and run no check first.
`validate()` runs the same check through the ORM for a `full_clean()` that does not exclude it.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.backends.ddl_references import Statement, Table
from django.db.models import Func, Q


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


SQLITE_TRIGGER = """CREATE TRIGGER IF NOT EXISTS %(trigger)s BEFORE %(event)s ON %(table)s
FOR EACH ROW WHEN NEW.%(status)s IN (%(values)s)
BEGIN
    SELECT RAISE(ABORT, '%(constraint)s')
    WHERE EXISTS (
        SELECT 1 FROM %(table)s AS other
        WHERE other.%(key)s = NEW.%(key)s
          AND other.%(status)s IN (%(values)s)
          AND other.%(start)s < NEW.%(end)s
          AND other.%(end)s > NEW.%(start)s
          AND other.%(pk)s IS NOT NEW.%(pk)s
    );
END"""


class NoOverlapConstraint(ExclusionConstraint):
    def __init__(
        self,
        *,
        name: str,
        key: str,
        status_field: str,
        active_values: list[str],
        start: str = "start",
        end: str = "end",
        violation_error_message: str | None = None,
        violation_error_code: str | None = None,
    ):
        self.key, self.start, self.end = key, start, end
        self.status_field, self.active_values = status_field, list(active_values)
        super().__init__(
            name=name,
            expressions=[
                (key, RangeOperators.EQUAL),
                (TsTzRange(start, end, RangeBoundary()), RangeOperators.OVERLAPS),
            ],
            condition=Q(**{f"{status_field}__in": self.active_values}),
            violation_error_message=violation_error_message,
            violation_error_code=violation_error_code,
        )

    # --- DDL per database ---------------------------------------------------------------------

    def constraint_sql(self, model, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            return super().constraint_sql(model, schema_editor)
        if vendor == "sqlite":
            schema_editor.deferred_sql.extend(self._sqlite_triggers(model, schema_editor))
        return None

    def create_sql(self, model, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor)
        return self.constraint_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            return super().remove_sql(model, schema_editor)
        if vendor == "sqlite":
            for event in ("insert", "update"):
                schema_editor.deferred_sql.append(
                    f"DROP TRIGGER IF EXISTS {schema_editor.quote_name(self._trigger_name(event))}"
                )
        return None

    def _trigger_name(self, event: str) -> str:
        return f"{self.name}_{event}"

    def _sqlite_triggers(self, model, schema_editor) -> list[Statement]:
        quote = schema_editor.quote_name
        column = lambda field: quote(model._meta.get_field(field).column)  # noqa: E731
        return [
            Statement(
                SQLITE_TRIGGER,
                trigger=quote(self._trigger_name(event.lower())),
                event=event,
                table=Table(model._meta.db_table, quote),
                constraint=self.name,
                key=column(self.key),
                status=column(self.status_field),
                values=", ".join(schema_editor.quote_value(value) for value in self.active_values),
                start=column(self.start),
                end=column(self.end),
                pk=quote(model._meta.pk.column),
            )
            for event in ("INSERT", "UPDATE")
        ]

    # --- Python-side check (full_clean, admin forms), the same on every database -----------------

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if exclude and {self.key, self.start, self.end, self.status_field} & set(exclude):
            return
        if getattr(instance, self.status_field) not in self.active_values:
            return
        start, end = getattr(instance, self.start), getattr(instance, self.end)
        key_attname = model._meta.get_field(self.key).attname
        if start is None or end is None or getattr(instance, key_attname) is None:
            return
        clashes = model._default_manager.using(using).filter(
            **{
                key_attname: getattr(instance, key_attname),
                f"{self.status_field}__in": self.active_values,
                f"{self.start}__lt": end,
                f"{self.end}__gt": start,
            }
        )
        if not instance._state.adding and instance.pk is not None:
            clashes = clashes.exclude(pk=instance.pk)
        if clashes.exists():
            raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)

    # --- Migrations ---------------------------------------------------------------------------------

    def deconstruct(self):
        path = f"{self.__class__.__module__}.{self.__class__.__name__}"
        kwargs = {
            "name": self.name,
            "key": self.key,
            "status_field": self.status_field,
            "active_values": self.active_values,
            "start": self.start,
            "end": self.end,
        }
        if self.violation_error_message != self.default_violation_error_message:
            kwargs["violation_error_message"] = self.violation_error_message
        if self.violation_error_code is not None:
            kwargs["violation_error_code"] = self.violation_error_code
        return path, (), kwargs
