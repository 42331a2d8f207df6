from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "brobyg.conversations"
    label = "conversations"
    verbose_name = _("Secure messages")

    def ready(self):
        from brobyg.conversations import services
        from brobyg.conversations.shredders import SHREDDER
        from brobyg.peercare.extensions import register_break_step
        from brobyg.people.extensions import register_merge_step
        from brobyg.rights.registry import register_shredder

        register_shredder(SHREDDER)
        register_break_step("conversations", services.follow_peer_break)
        register_merge_step(
            "conversations", services.move_for_merge, moves=("conversations.Conversation",)
        )
