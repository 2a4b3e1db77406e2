"""The notifications domain's routes: the list is in tests/core/test_routes.py; following
a notification to its object is each user's own action, tested in test_views.py."""
MEMBER_ACTIONS = {"notifications.open_target"}
# the API: walked and tested in tests/notifications/test_api.py
GET_ACCESS = {"notifications_api.index": (401, 200), "notifications_api.detail": (401, 200)}
WRITES = {"notifications_api.read_one", "notifications_api.read_many"}
