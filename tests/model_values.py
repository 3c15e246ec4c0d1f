"""What a model row holds, for tests that compare rows read two ways (a compiled shape against
the ORM's queryset): every concrete column's value by attribute name."""


def column_values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}
