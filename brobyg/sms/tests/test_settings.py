"""The text-message settings come from the environment and fail loudly when malformed."""

from brobyg.lib.tests.test_settings import PRODUCTION_ENV, _manage, check_refused, shell_output


def test_it_refuses_a_sender_a_phone_cannot_show():
    assert "BROBYG_SMS_SENDER" in check_refused(BROBYG_SMS_SENDER="Brobyg Kommune")


def test_gatewayapi_needs_its_token_and_an_https_address():
    assert "BROBYG_GATEWAYAPI_TOKEN" in check_refused(BROBYG_SMS_BACKEND="gatewayapi")
    assert "BROBYG_GATEWAYAPI_URL" in check_refused(
        BROBYG_SMS_BACKEND="gatewayapi",
        BROBYG_GATEWAYAPI_TOKEN="t",
        BROBYG_GATEWAYAPI_URL="http://gatewayapi.com/rest/mtsms",
    )


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
    assert "Secret link text" not in shell_output(send, BROBYG_SMS_DIR=str(tmp_path))
    [written] = tmp_path.iterdir()
    assert "Secret link text" in written.read_text()
    assert "To: +4520304050" in written.read_text()
