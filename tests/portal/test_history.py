"""portal.history: who a history record names, in every plugin."""

from types import SimpleNamespace

from portal.history import acting_as, history_user, records_actor

signed_in = SimpleNamespace(is_authenticated=True, username="staff")
anonymous = SimpleNamespace(is_authenticated=False)


def test_the_request_user_when_no_one_is_acting():
    assert history_user(SimpleNamespace(user=signed_in)) is signed_in
    assert history_user(SimpleNamespace(user=anonymous)) is None
    assert history_user() is None


def test_the_acting_user_wins_and_nesting_restores_the_outer_one():
    other = SimpleNamespace(is_authenticated=True, username="other")
    request = SimpleNamespace(user=signed_in)
    with acting_as(other):
        assert history_user(request) is other
        with acting_as(signed_in):
            assert history_user() is signed_in
        assert history_user() is other
    assert history_user() is None


def test_a_service_acts_as_its_user_argument():
    @records_actor
    def service(value, *, user):
        return value, history_user()

    assert service(1, user=signed_in) == (1, signed_in)
    assert history_user() is None
