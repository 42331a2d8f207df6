import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from brobyg.orgs.choices import (
    LegalBasis,
    OrganisationKind,
    PeerRole,
    ProgrammeModel,
    Purpose,
    Role,
    SupportForm,
    SupportType,
    UnitKind,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A staff account. Citizens have no account; they act through personal links."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    is_platform_admin = models.BooleanField(
        _("platform administrator"),
        default=False,
        help_text=_("May create new organisations in this installation."),
    )
    date_joined = models.DateTimeField(default=timezone.now)
    last_organisation = models.ForeignKey(
        "Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UserManager()

    AUDIT_SUBJECT_TYPE = "user"
    AUDIT_LABEL = False  # a name is personal data: the log keeps the id only

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [
            # Lists of an organisation's peers by name (peer care's coverage table, the peer
            # list): PostgreSQL reads the users in name order and stops at a page's worth of
            # the organisation's peers, instead of joining and sorting all of them.
            models.Index(fields=["full_name", "id"], name="user_name_order"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Organisation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    show_staff_names_to_citizens = models.BooleanField(
        _("show citizens the names of staff who read their data"),
        default=False,
        help_text=_(
            "On a citizen's data page, who looked shows the organisation and role; with this "
            "on, also the staff member's name."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A service inside an organisation (supported housing, district psychiatry, ...)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of service"), max_length=32, choices=UnitKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name")
        ]

    def __str__(self):
        return self.name


def _validate_codes(values, choices, message):
    if not isinstance(values, list) or any(value not in choices.values for value in values):
        raise ValidationError(message)


class Programme(models.Model):
    """A peer-support offer run by an organisation in one or more of its services."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    units = models.ManyToManyField(Unit, blank=True, related_name="programmes")
    support_type = models.CharField(
        _("paid or volunteer"), max_length=16, choices=SupportType.choices
    )
    model = models.CharField(_("model"), max_length=16, choices=ProgrammeModel.choices)
    peer_role = models.CharField(_("the peer's role"), max_length=16, choices=PeerRole.choices)
    purposes = models.JSONField(_("purposes"), default=list, blank=True)
    forms = models.JSONField(_("forms"), default=list, blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), default=18, validators=[MinValueValidator(0), MaxValueValidator(120)]
    )
    legal_basis = models.CharField(_("legal basis"), max_length=16, choices=LegalBasis.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="programme_unique_name")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        _validate_codes(self.purposes, Purpose, _("Choose purposes from the list."))
        _validate_codes(self.forms, SupportForm, _("Choose forms from the list."))
        if not self.forms:
            raise ValidationError({"forms": _("Choose at least one form of support.")})

    def get_purposes_display(self):
        return [Purpose(code).label for code in self.purposes]

    def get_forms_display(self):
        return [SupportForm(code).label for code in self.forms]


class Membership(models.Model):
    """A user's place in an organisation, with the set of roles they hold there."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    roles = models.JSONField(_("roles"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user")
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"

    def clean(self):
        super().clean()
        _validate_codes(self.roles, Role, _("Choose roles from the list."))
        if not self.roles:
            raise ValidationError({"roles": _("Choose at least one role.")})

    def get_roles_display(self):
        return [Role(code).label for code in self.roles]
