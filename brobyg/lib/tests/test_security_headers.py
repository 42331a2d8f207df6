from django.urls import reverse


def test_it_sends_a_strict_content_security_policy(client, db):
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_it_expires_idle_sessions_and_at_browser_close(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # Saved by SessionActivityMiddleware once a minute instead (test_session_activity.py).
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    assert "brobyg.lib.middleware.SessionActivityMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
