"""Sign-in: failures pause sign-in per username and per address, shown and recorded; reset only with mail."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import clear_url_caches

PASSWORD = "tc-figures-2026!"
PAUSED = "Too many failed sign-ins (5) for this username or from this address."


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Every attempt hashes a password; the production hasher would make this file take a minute.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    user = User.objects.create_user("amina", email="amina@ilo.example", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def sign_in(client, username, password, *, path="/accounts/login/", address="10.0.0.1"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_pause_the_account_even_for_the_right_one(client, editor):
    for _ in range(4):
        response = sign_in(client, "amina", "wrong")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    response = sign_in(client, "amina", "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert PAUSED in page
    assert "signing in is paused for 15 minutes" in page
    # The right password does not get through during the cool-off, not even from another address.
    response = sign_in(client, "amina", PASSWORD, address="10.0.0.2")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_pause_is_recorded_for_the_admin(client, editor):
    for _ in range(5):
        sign_in(client, "amina", "wrong")
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("amina", "10.0.0.1", 5)
    assert AccessFailureLog.objects.filter(username="amina").count() == 5
    superuser = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(superuser)
    listing = client.get("/admin/axes/accessattempt/").content.decode()
    assert "amina" in listing and "10.0.0.1" in listing


def test_one_address_trying_many_usernames_is_paused_too(client, editor):
    for name in ["a", "b", "c", "d", "e"]:
        response = sign_in(client, name, "wrong", address="10.9.9.9")
    assert response.status_code == 429
    # The editor, from their own address, still signs in.
    response = sign_in(client, "amina", PASSWORD, address="10.0.0.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_the_admin_sign_in_is_throttled_the_same_way(client, editor):
    for _ in range(5):
        response = sign_in(client, "amina", "wrong", path="/admin/login/")
    assert response.status_code == 429
    assert PAUSED in response.content.decode()


def test_a_right_password_before_the_limit_clears_the_failures(client, editor):
    for _ in range(4):
        sign_in(client, "amina", "wrong")
    assert sign_in(client, "amina", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "amina", "wrong").status_code == 200


def test_the_cool_off_ends(client, editor, settings):
    from datetime import timedelta

    for _ in range(5):
        sign_in(client, "amina", "wrong")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert sign_in(client, "amina", PASSWORD).status_code == 302


def test_without_mail_password_reset_is_not_offered(client, editor):
    page = client.get("/accounts/login/").content.decode()
    assert "Forgotten your password?" not in page
    assert "Forgotten your password" not in client.get("/admin/login/").content.decode()
    for path in ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/done/"]:
        response = client.get(path)
        assert response.status_code == 404
        assert "This server sends no mail, so it cannot send a reset link." in response.content.decode()
    response = client.post("/accounts/password_reset/", {"email": "amina@ilo.example"})
    assert response.status_code == 404
    assert mail.outbox == []


@pytest.fixture
def mail_configured(settings):
    settings.EMAIL_CONFIGURED = True
    yield
    clear_url_caches()


def test_with_mail_password_reset_is_offered_and_sends_the_link(client, editor, mail_configured):
    assert (
        '<a href="/accounts/password_reset/">Forgotten your password?</a>'
        in client.get("/accounts/login/").content.decode()
    )
    response = client.post("/accounts/password_reset/", {"email": "amina@ilo.example"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert client.get("/accounts/password_reset/done/").status_code == 200
    [message] = mail.outbox
    assert message.to == ["amina@ilo.example"]
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line).strip()
    response = client.get(link, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "n3w-figures-2027", "new_password2": "n3w-figures-2027"}
    )
    assert response["Location"] == "/accounts/reset/done/"
    editor.refresh_from_db()
    assert editor.check_password("n3w-figures-2027")
