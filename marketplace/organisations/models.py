import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import identifiers
from .roles import OrganisationKind, Role, roles_for_kind


class Region(models.TextChoices):
    """The 12 ITL1 regions of the United Kingdom (ONS International Territorial Levels)."""

    NORTH_EAST = "TLC", _("North East (England)")
    NORTH_WEST = "TLD", _("North West (England)")
    YORKSHIRE = "TLE", _("Yorkshire and The Humber")
    EAST_MIDLANDS = "TLF", _("East Midlands (England)")
    WEST_MIDLANDS = "TLG", _("West Midlands (England)")
    EAST = "TLH", _("East of England")
    LONDON = "TLI", _("London")
    SOUTH_EAST = "TLJ", _("South East (England)")
    SOUTH_WEST = "TLK", _("South West (England)")
    WALES = "TLL", _("Wales")
    SCOTLAND = "TLM", _("Scotland")
    NORTHERN_IRELAND = "TLN", _("Northern Ireland")


class Nation(models.TextChoices):
    ENGLAND = "England", _("England")
    SCOTLAND = "Scotland", _("Scotland")
    WALES = "Wales", _("Wales")
    NORTHERN_IRELAND = "Northern Ireland", _("Northern Ireland")


class LocalAuthorityQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Authorities that exist on the day (today by default): started and not yet ended."""
        on = on or timezone.localdate()
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=on),
            Q(end_date__isnull=True) | Q(end_date__gt=on),
        )


class LocalAuthority(models.Model):
    """A UK local authority, past or current, from mySociety's list (CC BY 4.0).

    Loaded by a data migration; former councils keep their end date and successors so that a
    reorganisation (councils merged into a new unitary) can be followed.
    """

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("mySociety's three- or four-letter code, like MAN or GMCA."),
    )
    gss_code = models.CharField(
        _("GSS code"),
        max_length=9,
        blank=True,
        help_text=_("The ONS Government Statistical Service code, like E08000003."),
    )
    official_name = models.CharField(
        _("official name"), max_length=200, help_text=_("Like Manchester City Council.")
    )
    nice_name = models.CharField(_("short name"), max_length=200, help_text=_("Like Manchester."))
    nation = models.CharField(
        _("nation"), max_length=20, choices=Nation.choices, help_text=_("The UK nation.")
    )
    region = models.CharField(
        _("region"),
        max_length=3,
        choices=Region.choices,
        blank=True,
        help_text=_("The ITL1 region."),
    )
    type_code = models.CharField(
        _("type code"), max_length=5, help_text=_("Like MD, UA, CTY or COMB.")
    )
    type_name = models.CharField(
        _("type"), max_length=100, help_text=_("Like Metropolitan district.")
    )
    county = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="districts",
        verbose_name=_("county council"),
        help_text=_("The county council a district council sits in."),
    )
    combined_authority = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="constituent_councils",
        verbose_name=_("combined authority"),
        help_text=_("The combined authority the council belongs to."),
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, help_text=_("Blank when long established.")
    )
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("The day the authority ceased to exist; blank while it exists."),
    )
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        verbose_name=_("replaced by"),
        help_text=_("The authorities that took over its area (two when the area was split)."),
    )
    gov_uk_slug = models.CharField(
        _("GOV.UK slug"),
        max_length=100,
        blank=True,
        help_text=_("Its page on GOV.UK's local council finder."),
    )
    email_domains = models.JSONField(
        _("e-mail domains"),
        default=list,
        blank=True,
        help_text=_(
            "Domains of the council's staff e-mail addresses, like manchester.gov.uk. A claim "
            "from an address at one of them, or at a subdomain, is granted at once."
        ),
    )

    objects = LocalAuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = _("local authority")
        verbose_name_plural = _("local authorities")
        ordering = ["official_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gss_code"],
                condition=~Q(gss_code=""),
                name="local_authority_unique_gss_code",
            )
        ]

    def __str__(self) -> str:
        return self.official_name

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or self.end_date > today
        )


class PublicBodyKind(models.TextChoices):
    COUNCIL = "council", _("Council")
    NHS = "nhs", _("NHS body")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other public body")


class Organisation(models.Model):
    """An authority, a buyer or a supplier: everything in the marketplace is done for one."""

    Kind = OrganisationKind

    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    legal_name = models.CharField(
        _("legal name"),
        max_length=200,
        help_text=_("As registered, for example with Companies House."),
    )
    trading_name = models.CharField(
        _("trading name"), max_length=200, blank=True, help_text=_("Leave blank if the same.")
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    company_number = models.CharField(
        _("Companies House number"),
        max_length=8,
        blank=True,
        validators=[identifiers.validate_company_number],
        help_text=_("8 characters, like 01234567 or SC123456."),
    )
    council_code = models.CharField(
        _("council code"),
        max_length=10,
        blank=True,
        validators=[identifiers.validate_council_code],
        help_text=_("ISO 3166-2:GB code for a local authority, like GB-MAN."),
    )
    charity_number = models.CharField(
        _("charity number"),
        max_length=9,
        blank=True,
        validators=[identifiers.validate_charity_number],
        help_text=_(
            "Registered charity number in England and Wales, Scotland or Northern Ireland."
        ),
    )
    ods_code = models.CharField(
        _("ODS code"),
        max_length=6,
        blank=True,
        validators=[identifiers.validate_ods_code],
        help_text=_("The NHS Organisation Data Service code of an NHS body, like RW3."),
    )
    urn = models.CharField(
        _("URN"),
        max_length=6,
        blank=True,
        validators=[identifiers.validate_urn],
        help_text=_("A school's Unique Reference Number, 6 digits."),
    )
    ppon = models.CharField(
        _("PPON"),
        max_length=14,
        blank=True,
        validators=[identifiers.validate_ppon],
        help_text=_(
            "Public Procurement Organisation Number from the Central Digital Platform, "
            "like PDDW-2534-TWPT."
        ),
    )
    address_line_1 = models.CharField(
        _("address line 1"),
        max_length=200,
        blank=True,
        help_text=_("The building and street of the main office."),
    )
    address_line_2 = models.CharField(
        _("address line 2"), max_length=200, blank=True, help_text=_("Optional.")
    )
    town = models.CharField(_("town or city"), max_length=100, blank=True, help_text=_("Optional."))
    postcode = models.CharField(
        _("postcode"),
        max_length=8,
        blank=True,
        validators=[identifiers.validate_postcode],
        help_text=_("For example, LS1 4AP."),
    )
    region = models.CharField(
        _("region"),
        max_length=3,
        choices=Region.choices,
        help_text=_("The ITL1 region of the organisation's main office."),
    )
    is_sme = models.BooleanField(
        _("small or medium-sized enterprise"),
        default=False,
        help_text=_("Fewer than 250 staff and turnover up to £44 million."),
    )
    is_vcse = models.BooleanField(
        _("voluntary, community or social enterprise"),
        default=False,
        help_text=_("A charity, community interest company, mutual or similar."),
    )
    contact_email = models.EmailField(
        _("contact e-mail address"),
        help_text=_("A shared inbox that buyers and authorities can write to."),
    )
    local_authority = models.OneToOneField(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
        verbose_name=_("local authority"),
        help_text=_("The council this buyer is; one organisation per council."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("legal_name"),
                "kind",
                name="organisation_unique_name_per_kind",
                violation_error_message=_("An organisation with this legal name already exists"),
            ),
            models.UniqueConstraint(
                fields=["company_number"],
                condition=~Q(company_number=""),
                name="organisation_unique_company_number",
                violation_error_message=_(
                    "An organisation with this Companies House number already exists"
                ),
            ),
            models.UniqueConstraint(
                fields=["council_code"],
                condition=~Q(council_code=""),
                name="organisation_unique_council_code",
                violation_error_message=_("An organisation with this council code already exists"),
            ),
            models.UniqueConstraint(
                fields=["ods_code"],
                condition=~Q(ods_code=""),
                name="organisation_unique_ods_code",
                violation_error_message=_("An organisation with this ODS code already exists"),
            ),
            models.UniqueConstraint(
                fields=["urn"],
                condition=~Q(urn=""),
                name="organisation_unique_urn",
                violation_error_message=_("An organisation with this URN already exists"),
            ),
            models.UniqueConstraint(
                fields=["ppon"],
                condition=~Q(ppon=""),
                name="organisation_unique_ppon",
                violation_error_message=_("An organisation with this PPON already exists"),
            ),
            models.UniqueConstraint(
                fields=["charity_number"],
                condition=~Q(charity_number=""),
                name="organisation_unique_charity_number",
                violation_error_message=_(
                    "An organisation with this charity number already exists"
                ),
            ),
        ]
        indexes = [models.Index(fields=["kind", "legal_name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.trading_name or self.legal_name

    def clean(self) -> None:
        self.company_number = (
            identifiers.normalise_company_number(self.company_number) if self.company_number else ""
        )
        self.council_code = (
            identifiers.normalise_council_code(self.council_code) if self.council_code else ""
        )
        self.charity_number = identifiers.normalise_charity_number(self.charity_number)
        self.ods_code = identifiers.normalise_ods_code(self.ods_code)
        self.urn = identifiers.normalise_urn(self.urn)
        self.ppon = identifiers.normalise_ppon(self.ppon)
        self.postcode = identifiers.normalise_postcode(self.postcode) if self.postcode else ""
        self.contact_email = (self.contact_email or "").strip().lower()
        if not self.slug:
            self.slug = unique_slug(self.legal_name)
        self.validate_identified()

    def validate_identified(self) -> None:
        """Suppliers need a company or charity number, and so do buyers that are not a council,
        NHS body or school (those are identified by the body they were claimed for).

        Authorities are set up by the service team and may have none.
        """
        if self.kind == OrganisationKind.SUPPLIER and not (
            self.company_number or self.charity_number
        ):
            raise ValidationError(
                {"company_number": ValidationError(MISSING_SUPPLIER_ID, code="unidentified")}
            )
        if self.kind == OrganisationKind.BUYER and not (
            self.local_authority_id
            or self.council_code
            or self.ods_code
            or self.urn
            or self.company_number
            or self.charity_number
        ):
            raise ValidationError(
                {"company_number": ValidationError(MISSING_BUYER_ID, code="unidentified")}
            )

    @property
    def is_authority(self) -> bool:
        return self.kind == OrganisationKind.AUTHORITY

    @property
    def is_buyer(self) -> bool:
        return self.kind == OrganisationKind.BUYER

    @property
    def is_supplier(self) -> bool:
        return self.kind == OrganisationKind.SUPPLIER

    @property
    def public_body_kind(self) -> str:
        """Which kind of public body a buyer is (a PublicBodyKind); blank for other kinds."""
        if self.kind != OrganisationKind.BUYER:
            return ""
        if self.local_authority_id:
            return PublicBodyKind.COUNCIL
        if self.ods_code:
            return PublicBodyKind.NHS
        if self.urn:
            return PublicBodyKind.SCHOOL
        return PublicBodyKind.OTHER


MISSING_SUPPLIER_ID = _("Enter a Companies House number or a charity number")
MISSING_BUYER_ID = _(
    "Enter a Companies House number or a charity number. Councils, NHS bodies and schools "
    "register by claiming their body instead."
)

# Paths under /organisations/ that an organisation's slug must never shadow.
RESERVED_SLUGS = frozenset({"new", "invitations", "claim", "claims"})


def unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, counter = base, 2
    while slug in RESERVED_SLUGS or Organisation.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


class Membership(models.Model):
    """A user's role in one organisation. A user may belong to several organisations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"),
        max_length=30,
        choices=Role.choices,
        help_text=_("What this person may do for the organisation."),
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__legal_name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_one_role_per_organisation",
                violation_error_message=_("This person is already a member of the organisation"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation}"

    def clean(self) -> None:
        if self.organisation_id and self.role not in roles_for_kind(self.organisation.kind):
            raise ValidationError(
                {"role": _("This role does not exist for this kind of organisation")}
            )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An e-mailed, expiring, single-use offer of a role in an organisation.

    Only a hash of the token is stored, so a leaked database cannot be used to join.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(
        _("e-mail address"), help_text=_("Where the invitation was sent; stored in lower case.")
    )
    role = models.CharField(
        _("role"),
        max_length=30,
        choices=Role.choices,
        help_text=_("The role the person gets when they accept."),
    )
    token_hash = models.CharField(
        _("token hash"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("SHA-256 of the token in the e-mailed link; the token itself is not kept."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "email"])]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired

    @property
    def problem(self) -> str | None:
        """Why this invitation can no longer be accepted: "revoked", "used", "expired" or None."""
        if self.revoked_at is not None:
            return "revoked"
        if self.accepted_at is not None:
            return "used"
        if self.is_expired:
            return "expired"
        return None


class OrganisationClaim(models.Model):
    """A person's request to register a public body as a buyer and act for it.

    Until the claim is approved the person has no membership and cannot act for the body.
    Approval creates the organisation, with the claimant as its administrator.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    class Grant(models.TextChoices):
        EMAIL_DOMAIN = "email_domain", _("E-mail domain")
        ADMINISTRATOR = "administrator", _("Platform administrator")

    TRANSITIONS = {
        Status.PENDING: frozenset({Status.APPROVED, Status.REFUSED}),
        Status.APPROVED: frozenset(),
        Status.REFUSED: frozenset(),
    }

    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organisation_claims",
        verbose_name=_("claimant"),
        help_text=_("The person asking to act for the body."),
    )
    body_kind = models.CharField(
        _("kind of public body"),
        max_length=20,
        choices=[c for c in PublicBodyKind.choices if c[0] != PublicBodyKind.OTHER],
        help_text=_("Council, NHS body or school."),
    )
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("council"),
        help_text=_("The council claimed, chosen from the list."),
    )
    ods_code = models.CharField(
        _("ODS code"),
        max_length=6,
        blank=True,
        validators=[identifiers.validate_ods_code],
        help_text=_("The NHS body claimed."),
    )
    urn = models.CharField(
        _("URN"),
        max_length=6,
        blank=True,
        validators=[identifiers.validate_urn],
        help_text=_("The school claimed."),
    )
    legal_name = models.CharField(
        _("legal name"), max_length=200, help_text=_("The organisation's name once approved.")
    )
    region = models.CharField(
        _("region"),
        max_length=3,
        choices=Region.choices,
        help_text=_("The ITL1 region of the body's main office."),
    )
    contact_email = models.EmailField(
        _("contact e-mail address"),
        help_text=_("A shared inbox for the organisation, once approved."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        help_text=_("Pending until granted by e-mail domain or decided by an administrator."),
    )
    granted_by = models.CharField(
        _("granted by"),
        max_length=20,
        choices=Grant.choices,
        blank=True,
        help_text=_("How an approved claim was granted."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
        help_text=_("The platform administrator who approved or refused the claim."),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the claim was refused, shown to the claimant.")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("organisation"),
        help_text=_("The organisation created when the claim was approved."),
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["claimant", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.get_status_display().lower()})"

    @property
    def body_identifier(self) -> str:
        """The official identifier of the body claimed: council code, ODS code or URN."""
        if self.local_authority_id:
            return self.local_authority.code
        return self.ods_code or self.urn
