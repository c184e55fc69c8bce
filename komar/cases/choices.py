"""Value sets of the case and its screening.

Exploitation types, methods of control and recruitment methods are HTCDS 2.0 picklists
(``vic_TypeOfExploitation``, ``vic_MethodsOfControl``, ``vic_MethodOfRecruitment``) in
snake_case; ``HTCDS_CODES`` maps each back to the standard's name for data exchange.
Acts and means are the elements of the Palermo Protocol, art. 3.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IntakeSource(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    POLICE = "police", _("Police")
    COMMUNITY = "community", _("Community / CCWC")
    PARTNER_REFERRAL = "partner_referral", _("Partner referral")
    SELF = "self", _("Self-referral")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    """Stages set by the Ministry of Social Affairs (2022), after intake."""

    INTAKE = "intake", _("Intake and assessment")
    PRE_REINTEGRATION = "pre_reintegration", _("Pre-reintegration")
    REINTEGRATION = "reintegration", _("Reintegration")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class RiskLevel(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ScreeningResult(models.TextChoices):
    NOT_SCREENED = "not_screened", _("Not screened")
    POSSIBLE_VICTIM = "possible_victim", _("Possible victim of trafficking")
    NOT_INDICATED = "not_indicated", _("Trafficking not indicated")


class Act(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment")
    TRANSPORTATION = "transportation", _("Transportation")
    TRANSFER = "transfer", _("Transfer")
    HARBOURING = "harbouring", _("Harbouring")
    RECEIPT = "receipt", _("Receipt of a person")


class Means(models.TextChoices):
    THREAT_OR_FORCE = "threat_or_force", _("Threat or use of force")
    COERCION = "coercion", _("Other coercion")
    ABDUCTION = "abduction", _("Abduction")
    FRAUD = "fraud", _("Fraud")
    DECEPTION = "deception", _("Deception")
    ABUSE_OF_POWER = "abuse_of_power", _("Abuse of power")
    ABUSE_OF_VULNERABILITY = "abuse_of_vulnerability", _("Abuse of a position of vulnerability")
    PAYMENTS = "payments", _("Payments to a person having control")


class ExploitationType(models.TextChoices):
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
    CHILD_LABOUR = "child_labour", _("Child labour")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    SERVITUDE = "servitude", _("Servitude")
    FORCED_MILITARY = (
        "forced_military_by_non_state_actors",
        _("Forced military service by non-state actors"),
    )
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    FORCED_ADOPTION = "forced_adoption", _("Forced adoption")
    SURROGACY = "surrogacy", _("Surrogacy")
    OTHER = "other", _("Other exploitation")


class MethodOfControl(models.TextChoices):
    PHYSICAL_THREATS = "physical_threats", _("Physical threats")
    THREATS_LAW_ENFORCEMENT = "threats_law_enforcement", _("Threats of law enforcement")
    THREATENS_CHILDREN_FAMILY = "threatens_children_family", _("Threats to children or family")
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    FALSE_PROMISES = "false_promises", _("False promises")
    PHYSICAL_ABUSE = "physical_abuse", _("Physical abuse")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    TAKES_EARNINGS = "takes_earnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "restricts_financial_access", _("Restricts financial access")
    RESTRICTS_MEDICAL_CARE = "restricts_medical_care", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "withholds_necessities", _("Withholds necessities")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "psychoactive_substance", _("Psychoactive substances")
    EXCESSIVE_WORKING_HOURS = "excessive_working_hours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "withholds_documents", _("Withholds documents")
    OTHER = "other", _("Other")


class RecruitmentMethod(models.TextChoices):
    PLACE_OF_BUSINESS = "at_a_place_of_business", _("At a place of business")
    EDUCATIONAL_INSTITUTION = "at_an_educational_institution", _("At a school")
    AT_WORK = "at_work", _("At work")
    ONLINE_SOCIAL_NETWORKS = "through_online_social_networks", _("Through online social networks")
    ONLINE_ADVERTISEMENT = "through_an_online_advertisement", _("Through an online advertisement")
    TELEVISION_ADVERT = "through_a_television_advert", _("Through a television advert")
    NEWSPAPER_ADVERT = "through_a_newspaper_advert", _("Through a newspaper advert")
    FAMILY = "through_family_or_family_events", _("Through family or family events")
    FRIENDS = "through_friends_or_social_events", _("Through friends or social events")
    OTHER = "other", _("Other")


class IloIndicator(models.TextChoices):
    """ILO forced-labour indicators that support a screening."""

    DECEPTION = "deception", _("Deception")
    RESTRICTION_OF_MOVEMENT = "restriction_of_movement", _("Restriction of movement")
    ISOLATION = "isolation", _("Isolation")
    VIOLENCE = "physical_and_sexual_violence", _("Physical and sexual violence")
    INTIMIDATION = "intimidation_and_threats", _("Intimidation and threats")
    DOCUMENTS = "retention_of_identity_documents", _("Retention of identity documents")
    WAGES = "withholding_of_wages", _("Withholding of wages")
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    CONDITIONS = "abusive_conditions", _("Abusive working and living conditions")
    OVERTIME = "excessive_overtime", _("Excessive overtime")
    VULNERABILITY = "abuse_of_vulnerability", _("Abuse of vulnerability")


def _pascal(code: str) -> str:
    return "".join(part.capitalize() for part in code.split("_"))


HTCDS_CODES: dict[str, dict[str, str]] = {
    "vic_TypeOfExploitation": {
        **{c: _pascal(c) for c in ExploitationType.values},
        "forced_military_by_non_state_actors": "ForcedMilitaryByNonStateActors",
    },
    "vic_MethodsOfControl": {c: _pascal(c) for c in MethodOfControl.values},
    "vic_MethodOfRecruitment": {
        **{c: _pascal(c) for c in RecruitmentMethod.values},
        "at_a_place_of_business": "AtAPlaceOfBusiness",
        "at_an_educational_institution": "AtAnEducationalInstitution",
        "through_an_online_advertisement": "ThroughAnOnlineAdvertisement",
        "through_a_television_advert": "ThroughATelevisionAdvert",
        "through_a_newspaper_advert": "ThroughANewspaperAdvert",
    },
}
