from django.utils.functional import SimpleLazyObject

from .selectors import acting_membership


class ActingOrganisationMiddleware:
    """Sets request.membership and request.organisation: who the user is acting for.

    The choice is kept in the session; a user with one membership acts for it without asking.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: acting_membership(request))
        request.organisation = SimpleLazyObject(
            lambda: request.membership.organisation if request.membership else None
        )
        return self.get_response(request)
