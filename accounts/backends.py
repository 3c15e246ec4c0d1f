"""Authentication backends: Django's and allauth's, reading the signed-in person faster.

Every signed-in request reads its person by id (`get_user`), which Django does through a fresh
queryset: the filter is built, the query compiled, the row turned into a model. The compiled
part never changes, so here it is made once per database connection (SQL, the columns it
selects and their converters) and each request runs that SQL with the id and builds the model
with `Model.from_db`, as the ORM would. Same row, same query, same rule for who may sign in
(`user_can_authenticate`): nothing is cached between requests but the SQL text."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import backends, get_user_model
from django.db import connections, router

_ATTRIBUTE = "_accounts_user_by_id"


class _PersonById:
    """The compiled read of one person by primary key, for one database connection."""

    def __init__(self, model, connection):
        compiler = model._default_manager.filter(pk=0).query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        if list(params) != [0]:  # a manager adding its own filters is not what this expects
            raise ValueError("The person's query carries parameters of its own.")
        expressions = [column for column, _sql, _alias in compiler.select]
        self.names = [column.target.attname for column in expressions]
        self.compiler = compiler  # bound to this connection: it converts the rows read on it
        self.converters = compiler.get_converters(expressions)
        field = model._meta.pk
        self.low, self.high = connection.ops.integer_field_range(field.get_internal_type())

    def read(self, model, connection, pk):
        if (
            not isinstance(pk, int)
            or not (self.low is None or self.low <= pk)
            or not (self.high is None or pk <= self.high)
        ):
            return None  # no row can have it (the ORM answers DoesNotExist the same way)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        (values,) = self.compiler.apply_converters([row], self.converters)
        return model.from_db(connection.alias, self.names, values)


class FastGetUser:
    def get_user(self, user_id):
        model = get_user_model()
        connection = connections[router.db_for_read(model)]
        compiled = getattr(connection, _ATTRIBUTE, None)
        if compiled is None:
            compiled = _PersonById(model, connection)
            setattr(connection, _ATTRIBUTE, compiled)
        user = compiled.read(model, connection, user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(FastGetUser, backends.ModelBackend):
    """Django's ModelBackend (e-mail and password), with the faster `get_user`."""


class AuthenticationBackend(FastGetUser, AllauthBackend):
    """allauth's backend (sign-in by e-mail, rate limits), with the faster `get_user`."""
