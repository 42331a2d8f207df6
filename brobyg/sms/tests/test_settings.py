"""The text-message settings come from the environment and fail loudly when malformed."""

from brobyg.lib.tests.test_settings import PRODUCTION_ENV, _manage


def test_it_refuses_a_sender_a_phone_cannot_show():
    result = _manage("check", BROBYG_SMS_SENDER="Brobyg Kommune")
    assert result.returncode != 0
    assert "BROBYG_SMS_SENDER" in result.stderr


def test_gatewayapi_needs_its_token_and_an_https_address():
    result = _manage("check", BROBYG_SMS_BACKEND="gatewayapi")
    assert result.returncode != 0
    assert "BROBYG_GATEWAYAPI_TOKEN" in result.stderr
    result = _manage(
        "check",
        BROBYG_SMS_BACKEND="gatewayapi",
        BROBYG_GATEWAYAPI_TOKEN="t",
        BROBYG_GATEWAYAPI_URL="http://gatewayapi.com/rest/mtsms",
    )
    assert result.returncode != 0
    assert "BROBYG_GATEWAYAPI_URL" in result.stderr


def test_production_sends_no_texts_until_a_provider_is_configured():
    show = "from django.conf import settings; print(settings.BROBYG_SMS_BACKEND)"
    result = _manage("shell", "-c", show, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("disabled")


def test_with_a_text_folder_each_text_is_a_file_not_console_output(tmp_path):
    send = (
        "from brobyg.sms.backends import get_backend; "
        "get_backend().send(msisdn='4520304050', text='Secret link text', sender='Brobyg')"
    )
    result = _manage("shell", "-c", send, BROBYG_SMS_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Secret link text" not in result.stdout + result.stderr
    [written] = tmp_path.iterdir()
    assert "Secret link text" in written.read_text()
    assert "To: +4520304050" in written.read_text()
