"""Pages of long lists that stay fast on the last page."""

from django.core.paginator import Paginator


class DeferredJoinPaginator(Paginator):
    """Finds the ids of one page first, then loads only those rows with their joins.

    With OFFSET, PostgreSQL builds and throws away every row before the page, including its
    joins and per-row subqueries; the ids alone are cheap to skip. `count` may be given when
    the caller already knows it (the queue does, from its counts per status).
    """

    def __init__(self, object_list, per_page, *, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)
