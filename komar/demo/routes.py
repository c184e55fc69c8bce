"""Trafficking and abuse profiles seen in Cambodia, as weights for synthetic cases.

Each :class:`Route` is one kind of case an NGO in Cambodia registers: who the children
usually are (sex, age), where they are exploited (a Cambodian unit by code prefix, or a
country), and which trafficking elements, controls and indicators a screening usually
finds. Sources: the forms and routes in ``DOMAIN.md`` (karaoke and massage venues in
Phnom Penh, Siem Reap, Sihanoukville and Poipet; brick kilns with debt bondage; fishing;
begging in Thailand and Vietnam; scam compounds since 2021; forced marriage to China).
Figures are plausible shares for demo data, not statistics.
"""

from dataclasses import dataclass

from komar.cases.choices import (
    Act,
    ExploitationType,
    IloIndicator,
    IntakeSource,
    Means,
    MethodOfControl,
    RecruitmentMethod,
)

# Population of each province at the 2019 General Population Census (National Institute
# of Statistics): the proxy for where children live, since villages carry no population.
CENSUS_2019: dict[str, int] = {
    "01": 861_883,  # Banteay Meanchey
    "02": 997_169,  # Battambang
    "03": 899_791,  # Kampong Cham
    "04": 527_027,  # Kampong Chhnang
    "05": 877_523,  # Kampong Speu
    "06": 677_260,  # Kampong Thom
    "07": 592_845,  # Kampot
    "08": 1_201_581,  # Kandal
    "09": 123_618,  # Koh Kong
    "10": 372_825,  # Kratie
    "11": 88_649,  # Mondulkiri
    "12": 2_281_951,  # Phnom Penh
    "13": 254_827,  # Preah Vihear
    "14": 1_057_428,  # Prey Veng
    "15": 411_759,  # Pursat
    "16": 204_027,  # Ratanakiri
    "17": 1_014_234,  # Siem Reap
    "18": 310_072,  # Preah Sihanouk
    "19": 165_713,  # Stung Treng
    "20": 525_497,  # Svay Rieng
    "21": 900_914,  # Takeo
    "22": 276_038,  # Oddar Meanchey
    "23": 41_798,  # Kep
    "24": 75_112,  # Pailin
    "25": 776_841,  # Tboung Khmum
}

# Destinations: a gazetteer code prefix (digits) is a place in Cambodia, two letters are
# an ISO 3166-1 country.
PHNOM_PENH = "12"
SIEM_REAP_TOWN = "1710"
SIHANOUKVILLE = "1801"
POIPET = "0110"
KOH_KONG_TOWN = "0904"
BAVET = "2008"
BATTAMBANG_TOWN = "0203"
KANDAL = "08"
KAMPONG_CHHNANG = "04"
KAMPONG_CHAM = "03"
KAMPOT = "07"

Weighted = tuple[tuple[str, float], ...]

_INTAKE_DEFAULT: Weighted = (
    (IntakeSource.POLICE, 30),
    (IntakeSource.HOTLINE, 15),
    (IntakeSource.COMMUNITY, 20),
    (IntakeSource.PARTNER_REFERRAL, 22),
    (IntakeSource.SELF, 5),
    (IntakeSource.OTHER, 8),
)


@dataclass(frozen=True)
class Route:
    """One kind of case: the people, places and screening elements it usually has."""

    key: str
    weight: float
    female: float  # share of girls and women
    ages: tuple[tuple[int, int, float], ...]  # (youngest, oldest, weight) at intake
    destinations: Weighted = ()  # empty: exploited at home, or no exploitation found
    types: tuple[str, ...] = ()  # always found
    extra_types: Weighted = ()  # sometimes found as well (probability)
    acts: tuple[str, ...] = ()
    means: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    recruitment: Weighted = ()
    intake: Weighted = _INTAKE_DEFAULT
    exploited_at_home: bool = False
    since: int = 0  # first year such cases are seen
    notes: tuple[str, ...] = ()


_SEX_CONTROLS = (
    MethodOfControl.DEBT_BONDAGE,
    MethodOfControl.TAKES_EARNINGS,
    MethodOfControl.PSYCHOLOGICAL_ABUSE,
    MethodOfControl.PSYCHOACTIVE_SUBSTANCE,
    MethodOfControl.SEXUAL_ABUSE,
    MethodOfControl.FALSE_PROMISES,
    MethodOfControl.PHYSICAL_THREATS,
)
_LABOUR_INDICATORS = (
    IloIndicator.DECEPTION,
    IloIndicator.RESTRICTION_OF_MOVEMENT,
    IloIndicator.ISOLATION,
    IloIndicator.WAGES,
    IloIndicator.DEBT_BONDAGE,
    IloIndicator.CONDITIONS,
    IloIndicator.OVERTIME,
    IloIndicator.VULNERABILITY,
)
_ALL_ACTS = tuple(Act.values)

ROUTES: tuple[Route, ...] = (
    Route(
        key="venue_sexual_exploitation",
        weight=18,
        female=0.96,
        ages=((13, 17, 0.84), (10, 12, 0.08), (18, 22, 0.08)),
        destinations=(
            (PHNOM_PENH, 45),
            (SIEM_REAP_TOWN, 20),
            (SIHANOUKVILLE, 15),
            (POIPET, 10),
            (BATTAMBANG_TOWN, 5),
            (KOH_KONG_TOWN, 5),
        ),
        types=(ExploitationType.SEXUAL_EXPLOITATION,),
        acts=(Act.RECRUITMENT, Act.TRANSPORTATION, Act.HARBOURING, Act.RECEIPT),
        means=(
            Means.DECEPTION,
            Means.ABUSE_OF_VULNERABILITY,
            Means.FRAUD,
            Means.PAYMENTS,
            Means.COERCION,
        ),
        controls=_SEX_CONTROLS,
        indicators=(
            IloIndicator.DECEPTION,
            IloIndicator.RESTRICTION_OF_MOVEMENT,
            IloIndicator.VIOLENCE,
            IloIndicator.INTIMIDATION,
            IloIndicator.WAGES,
            IloIndicator.DEBT_BONDAGE,
            IloIndicator.VULNERABILITY,
        ),
        recruitment=(
            (RecruitmentMethod.FRIENDS, 35),
            (RecruitmentMethod.ONLINE_SOCIAL_NETWORKS, 25),
            (RecruitmentMethod.FAMILY, 20),
            (RecruitmentMethod.PLACE_OF_BUSINESS, 20),
        ),
        intake=(
            (IntakeSource.POLICE, 45),
            (IntakeSource.HOTLINE, 15),
            (IntakeSource.PARTNER_REFERRAL, 20),
            (IntakeSource.COMMUNITY, 10),
            (IntakeSource.SELF, 5),
            (IntakeSource.OTHER, 5),
        ),
        notes=(
            "Found during a police operation at a karaoke bar.",
            "Offered work as a waitress in a beer garden; made to sit with and serve customers.",
            "Recruited for a massage parlour; an advance on wages became a debt.",
            "Kept in a room above the venue; not allowed to leave alone.",
        ),
    ),
    Route(
        key="virginity_sale",
        weight=4,
        female=1.0,
        ages=((12, 16, 1.0),),
        destinations=((PHNOM_PENH, 60), (SIEM_REAP_TOWN, 20), (SIHANOUKVILLE, 20)),
        types=(ExploitationType.SEXUAL_EXPLOITATION,),
        acts=(Act.RECRUITMENT, Act.TRANSPORTATION, Act.TRANSFER, Act.RECEIPT),
        means=(Means.PAYMENTS, Means.ABUSE_OF_VULNERABILITY, Means.DECEPTION),
        controls=(
            MethodOfControl.FALSE_PROMISES,
            MethodOfControl.SEXUAL_ABUSE,
            MethodOfControl.PSYCHOLOGICAL_ABUSE,
        ),
        indicators=(IloIndicator.DECEPTION, IloIndicator.VIOLENCE, IloIndicator.VULNERABILITY),
        recruitment=((RecruitmentMethod.FAMILY, 60), (RecruitmentMethod.FRIENDS, 40)),
        intake=(
            (IntakeSource.HOTLINE, 35),
            (IntakeSource.POLICE, 35),
            (IntakeSource.COMMUNITY, 30),
        ),
        notes=(
            "Taken to a guesthouse by a broker; the family was paid.",
            "Family debt to a moneylender; the lender arranged the sale.",
        ),
    ),
    Route(
        key="online_sexual_exploitation",
        weight=6,
        female=0.75,
        ages=((8, 15, 1.0),),
        exploited_at_home=True,
        types=(ExploitationType.SEXUAL_EXPLOITATION,),
        acts=(Act.RECRUITMENT, Act.HARBOURING),
        means=(Means.COERCION, Means.ABUSE_OF_POWER, Means.ABUSE_OF_VULNERABILITY, Means.PAYMENTS),
        controls=(
            MethodOfControl.SEXUAL_ABUSE,
            MethodOfControl.PSYCHOLOGICAL_ABUSE,
            MethodOfControl.THREATENS_CHILDREN_FAMILY,
        ),
        indicators=(IloIndicator.INTIMIDATION, IloIndicator.ISOLATION, IloIndicator.VULNERABILITY),
        recruitment=(
            (RecruitmentMethod.FAMILY, 50),
            (RecruitmentMethod.ONLINE_SOCIAL_NETWORKS, 40),
            (RecruitmentMethod.FRIENDS, 10),
        ),
        intake=(
            (IntakeSource.POLICE, 40),
            (IntakeSource.PARTNER_REFERRAL, 30),
            (IntakeSource.HOTLINE, 20),
            (IntakeSource.OTHER, 10),
        ),
        notes=(
            "Abuse material produced at home and sold to overseas buyers.",
            "Referred after a report from a foreign law-enforcement agency.",
        ),
    ),
    Route(
        key="travelling_offender",
        weight=4,
        female=0.6,
        ages=((8, 15, 1.0),),
        destinations=(
            (SIEM_REAP_TOWN, 35),
            (PHNOM_PENH, 35),
            (SIHANOUKVILLE, 20),
            (BATTAMBANG_TOWN, 10),
        ),
        types=(ExploitationType.SEXUAL_EXPLOITATION,),
        acts=(Act.RECRUITMENT, Act.HARBOURING, Act.RECEIPT),
        means=(Means.ABUSE_OF_VULNERABILITY, Means.PAYMENTS, Means.DECEPTION),
        controls=(
            MethodOfControl.SEXUAL_ABUSE,
            MethodOfControl.FALSE_PROMISES,
            MethodOfControl.PSYCHOLOGICAL_ABUSE,
        ),
        indicators=(IloIndicator.VULNERABILITY, IloIndicator.DECEPTION),
        recruitment=(
            (RecruitmentMethod.FRIENDS, 40),
            (RecruitmentMethod.PLACE_OF_BUSINESS, 35),
            (RecruitmentMethod.FAMILY, 25),
        ),
        notes=("A foreign offender offered money, food and schooling.",),
    ),
    Route(
        key="sexual_exploitation_abroad",
        weight=3,
        female=0.95,
        ages=((15, 17, 0.7), (18, 24, 0.3)),
        destinations=(("TH", 60), ("MY", 40)),
        types=(ExploitationType.SEXUAL_EXPLOITATION,),
        extra_types=((ExploitationType.FORCED_LABOUR, 0.2),),
        acts=_ALL_ACTS,
        means=(Means.DECEPTION, Means.FRAUD, Means.COERCION, Means.THREAT_OR_FORCE),
        controls=(
            MethodOfControl.WITHHOLDS_DOCUMENTS,
            MethodOfControl.DEBT_BONDAGE,
            MethodOfControl.PHYSICAL_THREATS,
            MethodOfControl.FALSE_PROMISES,
            MethodOfControl.THREATS_LAW_ENFORCEMENT,
        ),
        indicators=(*_LABOUR_INDICATORS, IloIndicator.DOCUMENTS),
        recruitment=(
            (RecruitmentMethod.FRIENDS, 45),
            (RecruitmentMethod.ONLINE_ADVERTISEMENT, 25),
            (RecruitmentMethod.FAMILY, 30),
        ),
        intake=(
            (IntakeSource.PARTNER_REFERRAL, 55),
            (IntakeSource.POLICE, 25),
            (IntakeSource.HOTLINE, 20),
        ),
        notes=("Repatriated through the Poipet transit centre.",),
    ),
    Route(
        key="brick_kiln",
        weight=10,
        female=0.45,
        ages=((6, 17, 0.9), (18, 25, 0.1)),
        destinations=((KANDAL, 45), (PHNOM_PENH, 20), (KAMPONG_CHHNANG, 20), (KAMPONG_CHAM, 15)),
        types=(ExploitationType.CHILD_LABOUR,),
        extra_types=((ExploitationType.FORCED_LABOUR, 0.6),),
        acts=(Act.RECRUITMENT, Act.TRANSPORTATION, Act.HARBOURING),
        means=(Means.COERCION, Means.ABUSE_OF_VULNERABILITY, Means.PAYMENTS),
        controls=(
            MethodOfControl.DEBT_BONDAGE,
            MethodOfControl.RESTRICTS_FINANCIAL_ACCESS,
            MethodOfControl.EXCESSIVE_WORKING_HOURS,
            MethodOfControl.WITHHOLDS_NECESSITIES,
            MethodOfControl.THREATS_LAW_ENFORCEMENT,
        ),
        indicators=_LABOUR_INDICATORS,
        recruitment=((RecruitmentMethod.FAMILY, 70), (RecruitmentMethod.AT_WORK, 30)),
        intake=(
            (IntakeSource.COMMUNITY, 35),
            (IntakeSource.PARTNER_REFERRAL, 35),
            (IntakeSource.HOTLINE, 10),
            (IntakeSource.POLICE, 10),
            (IntakeSource.SELF, 10),
        ),
        notes=(
            "Family took a loan from the kiln owner; the debt passed from parents to children.",
            "Moulds and carries bricks; not allowed to leave until the debt is repaid.",
        ),
    ),
    Route(
        key="fishing",
        weight=5,
        female=0.05,
        ages=((14, 17, 0.7), (18, 26, 0.3)),
        destinations=(
            ("TH", 45),
            ("ID", 10),
            ("MY", 5),
            (KOH_KONG_TOWN, 15),
            (SIHANOUKVILLE, 15),
            (KAMPOT, 10),
        ),
        types=(ExploitationType.FORCED_LABOUR,),
        acts=_ALL_ACTS,
        means=(Means.DECEPTION, Means.FRAUD, Means.THREAT_OR_FORCE, Means.COERCION),
        controls=(
            MethodOfControl.WITHHOLDS_DOCUMENTS,
            MethodOfControl.PHYSICAL_ABUSE,
            MethodOfControl.PHYSICAL_THREATS,
            MethodOfControl.EXCESSIVE_WORKING_HOURS,
            MethodOfControl.TAKES_EARNINGS,
        ),
        indicators=(*_LABOUR_INDICATORS, IloIndicator.DOCUMENTS, IloIndicator.VIOLENCE),
        recruitment=(
            (RecruitmentMethod.FRIENDS, 50),
            (RecruitmentMethod.FAMILY, 30),
            (RecruitmentMethod.OTHER, 20),
        ),
        notes=("Months at sea on a trawler without pay.", "Escaped when the boat came to port."),
    ),
    Route(
        key="agriculture_abroad",
        weight=4,
        female=0.45,
        ages=((12, 17, 0.8), (18, 24, 0.2)),
        destinations=(("TH", 80), ("MY", 20)),
        types=(ExploitationType.FORCED_LABOUR,),
        extra_types=((ExploitationType.CHILD_LABOUR, 0.5),),
        acts=(Act.RECRUITMENT, Act.TRANSPORTATION, Act.HARBOURING),
        means=(Means.DECEPTION, Means.FRAUD),
        controls=(
            MethodOfControl.TAKES_EARNINGS,
            MethodOfControl.WITHHOLDS_DOCUMENTS,
            MethodOfControl.EXCESSIVE_WORKING_HOURS,
            MethodOfControl.THREATS_LAW_ENFORCEMENT,
        ),
        indicators=_LABOUR_INDICATORS,
        recruitment=((RecruitmentMethod.FRIENDS, 50), (RecruitmentMethod.FAMILY, 50)),
        intake=(
            (IntakeSource.PARTNER_REFERRAL, 50),
            (IntakeSource.POLICE, 30),
            (IntakeSource.COMMUNITY, 20),
        ),
        notes=("Worked on a plantation across the border; wages never paid.",),
    ),
    Route(
        key="construction",
        weight=3,
        female=0.2,
        ages=((14, 17, 0.7), (18, 24, 0.3)),
        destinations=(("TH", 60), (PHNOM_PENH, 40)),
        types=(ExploitationType.FORCED_LABOUR,),
        extra_types=((ExploitationType.CHILD_LABOUR, 0.4),),
        acts=(Act.RECRUITMENT, Act.TRANSPORTATION, Act.HARBOURING),
        means=(Means.DECEPTION, Means.COERCION),
        controls=(MethodOfControl.TAKES_EARNINGS, MethodOfControl.EXCESSIVE_WORKING_HOURS),
        indicators=_LABOUR_INDICATORS,
        recruitment=((RecruitmentMethod.FRIENDS, 60), (RecruitmentMethod.AT_WORK, 40)),
    ),
    Route(
        key="domestic_servitude",
        weight=5,
        female=0.9,
        ages=((11, 17, 0.8), (18, 24, 0.2)),
        destinations=((PHNOM_PENH, 60), ("MY", 25), ("SA", 10), ("SG", 5)),
        types=(ExploitationType.SERVITUDE,),
        extra_types=((ExploitationType.FORCED_LABOUR, 0.5),),
        acts=(Act.RECRUITMENT, Act.TRANSPORTATION, Act.HARBOURING),
        means=(Means.DECEPTION, Means.ABUSE_OF_VULNERABILITY, Means.COERCION),
        controls=(
            MethodOfControl.WITHHOLDS_DOCUMENTS,
            MethodOfControl.PSYCHOLOGICAL_ABUSE,
            MethodOfControl.PHYSICAL_ABUSE,
            MethodOfControl.WITHHOLDS_NECESSITIES,
            MethodOfControl.EXCESSIVE_WORKING_HOURS,
        ),
        indicators=(*_LABOUR_INDICATORS, IloIndicator.DOCUMENTS),
        recruitment=(
            (RecruitmentMethod.FAMILY, 45),
            (RecruitmentMethod.FRIENDS, 35),
            (RecruitmentMethod.ONLINE_ADVERTISEMENT, 20),
        ),
        notes=("Worked as a maid; locked in the house and unpaid.",),
    ),
    Route(
        key="begging_street_vending",
        weight=8,
        female=0.5,
        ages=((5, 13, 0.9), (14, 16, 0.1)),
        destinations=(("TH", 55), ("VN", 25), (PHNOM_PENH, 10), (SIEM_REAP_TOWN, 10)),
        types=(ExploitationType.FORCED_BEGGING,),
        extra_types=((ExploitationType.CHILD_LABOUR, 0.3),),
        acts=(Act.RECRUITMENT, Act.TRANSPORTATION, Act.TRANSFER, Act.HARBOURING),
        means=(Means.PAYMENTS, Means.ABUSE_OF_VULNERABILITY, Means.DECEPTION),
        controls=(
            MethodOfControl.TAKES_EARNINGS,
            MethodOfControl.PHYSICAL_ABUSE,
            MethodOfControl.PSYCHOLOGICAL_ABUSE,
            MethodOfControl.WITHHOLDS_NECESSITIES,
        ),
        indicators=(
            IloIndicator.WAGES,
            IloIndicator.CONDITIONS,
            IloIndicator.VIOLENCE,
            IloIndicator.VULNERABILITY,
        ),
        recruitment=((RecruitmentMethod.FAMILY, 70), (RecruitmentMethod.FRIENDS, 30)),
        intake=(
            (IntakeSource.PARTNER_REFERRAL, 50),
            (IntakeSource.POLICE, 20),
            (IntakeSource.COMMUNITY, 20),
            (IntakeSource.HOTLINE, 10),
        ),
        notes=(
            "Rented out by the family to a gang that sent children to beg in Bangkok.",
            "Sold flowers and sweets at night; earnings taken by the handler.",
            "Returned from Vietnam through the Bavet border crossing.",
        ),
    ),
    Route(
        key="scam_compound",
        weight=6,
        female=0.3,
        ages=((15, 17, 0.45), (18, 28, 0.55)),
        destinations=(
            (SIHANOUKVILLE, 40),
            (KOH_KONG_TOWN, 5),
            (BAVET, 10),
            (POIPET, 10),
            ("MM", 20),
            ("LA", 15),
        ),
        types=(ExploitationType.FORCED_LABOUR,),
        acts=_ALL_ACTS,
        means=(Means.DECEPTION, Means.FRAUD, Means.THREAT_OR_FORCE, Means.COERCION),
        controls=(
            MethodOfControl.WITHHOLDS_DOCUMENTS,
            MethodOfControl.DEBT_BONDAGE,
            MethodOfControl.PHYSICAL_ABUSE,
            MethodOfControl.PHYSICAL_THREATS,
            MethodOfControl.PSYCHOLOGICAL_ABUSE,
            MethodOfControl.RESTRICTS_FINANCIAL_ACCESS,
            MethodOfControl.EXCESSIVE_WORKING_HOURS,
        ),
        indicators=(
            *_LABOUR_INDICATORS,
            IloIndicator.DOCUMENTS,
            IloIndicator.VIOLENCE,
            IloIndicator.INTIMIDATION,
        ),
        recruitment=(
            (RecruitmentMethod.ONLINE_ADVERTISEMENT, 50),
            (RecruitmentMethod.ONLINE_SOCIAL_NETWORKS, 40),
            (RecruitmentMethod.FRIENDS, 10),
        ),
        intake=(
            (IntakeSource.HOTLINE, 35),
            (IntakeSource.POLICE, 35),
            (IntakeSource.PARTNER_REFERRAL, 20),
            (IntakeSource.SELF, 10),
        ),
        since=2021,
        notes=(
            "Answered an online job advert; held in a guarded compound and made to run online scams.",
            "Told to pay a 'debt' for transport and food before release.",
        ),
    ),
    Route(
        key="forced_marriage_china",
        weight=6,
        female=1.0,
        ages=((15, 17, 0.65), (18, 25, 0.35)),
        destinations=(("CN", 100),),
        types=(ExploitationType.FORCED_MARRIAGE,),
        extra_types=(
            (ExploitationType.SEXUAL_EXPLOITATION, 0.3),
            (ExploitationType.SERVITUDE, 0.2),
        ),
        acts=_ALL_ACTS,
        means=(Means.DECEPTION, Means.FRAUD, Means.PAYMENTS),
        controls=(
            MethodOfControl.FALSE_PROMISES,
            MethodOfControl.WITHHOLDS_DOCUMENTS,
            MethodOfControl.SEXUAL_ABUSE,
            MethodOfControl.PSYCHOLOGICAL_ABUSE,
        ),
        indicators=(
            IloIndicator.DECEPTION,
            IloIndicator.ISOLATION,
            IloIndicator.DOCUMENTS,
            IloIndicator.RESTRICTION_OF_MOVEMENT,
        ),
        recruitment=(
            (RecruitmentMethod.FAMILY, 40),
            (RecruitmentMethod.FRIENDS, 30),
            (RecruitmentMethod.ONLINE_SOCIAL_NETWORKS, 30),
        ),
        intake=(
            (IntakeSource.PARTNER_REFERRAL, 50),
            (IntakeSource.HOTLINE, 20),
            (IntakeSource.POLICE, 20),
            (IntakeSource.SELF, 10),
        ),
        notes=(
            "A broker promised factory work in China; married to a man there on arrival.",
            "Repatriated with the help of the embassy after contacting the family.",
        ),
    ),
    Route(
        key="surrogacy",
        weight=1,
        female=1.0,
        ages=((18, 30, 1.0),),
        destinations=((PHNOM_PENH, 80), ("CN", 20)),
        types=(ExploitationType.SURROGACY,),
        acts=(Act.RECRUITMENT, Act.HARBOURING),
        means=(Means.DECEPTION, Means.PAYMENTS, Means.ABUSE_OF_VULNERABILITY),
        controls=(MethodOfControl.FALSE_PROMISES, MethodOfControl.RESTRICTS_MEDICAL_CARE),
        indicators=(
            IloIndicator.DECEPTION,
            IloIndicator.RESTRICTION_OF_MOVEMENT,
            IloIndicator.VULNERABILITY,
        ),
        recruitment=(
            (RecruitmentMethod.FRIENDS, 60),
            (RecruitmentMethod.ONLINE_SOCIAL_NETWORKS, 40),
        ),
        intake=((IntakeSource.POLICE, 60), (IntakeSource.PARTNER_REFERRAL, 40)),
        since=2016,
    ),
    Route(
        key="sexual_abuse_not_trafficking",
        weight=10,
        female=0.85,
        ages=((5, 17, 1.0),),
        intake=(
            (IntakeSource.COMMUNITY, 35),
            (IntakeSource.POLICE, 30),
            (IntakeSource.HOTLINE, 25),
            (IntakeSource.SELF, 10),
        ),
        notes=("Sexual assault reported; no act or purpose of trafficking found at screening.",),
    ),
    Route(
        key="intercepted_migration",
        weight=4,
        female=0.5,
        ages=((14, 17, 0.7), (18, 22, 0.3)),
        acts=(Act.RECRUITMENT, Act.TRANSPORTATION),
        means=(Means.DECEPTION, Means.FRAUD),
        recruitment=(
            (RecruitmentMethod.FRIENDS, 50),
            (RecruitmentMethod.ONLINE_ADVERTISEMENT, 30),
            (RecruitmentMethod.FAMILY, 20),
        ),
        intake=(
            (IntakeSource.POLICE, 50),
            (IntakeSource.COMMUNITY, 30),
            (IntakeSource.PARTNER_REFERRAL, 20),
        ),
        notes=("Stopped at the border with a broker before any exploitation.",),
    ),
)
