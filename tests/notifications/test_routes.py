"""The notifications domain's routes: the list is in tests/core/test_routes.py; following
a notification to its object is each user's own action, tested in test_views.py."""
MEMBER_ACTIONS = {"notifications.open_target"}
