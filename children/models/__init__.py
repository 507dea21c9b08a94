"""The register of children's journeys.

Names follow the Standard Safeguarding Dataset and the national returns;
docs/register-mapping.md says which CIN census, SSDA903 and Annex A field
lands in which column; docs/decisions/0002-register-model.md says why.
"""

from .adopters import Adopter, AdopterLeavingReason
from .child import CareLeaverEligibility, Child, Disability, Involvement, Sex
from .early import Contact, EarlyHelpEpisode
from .looked_after import (
    DeprivationOfLiberty,
    HealthAssessment,
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    OutcomesReturn,
    PersonalEducationPlan,
    PlacementRegulation,
    UnaccompaniedAsylumSeeker,
)
from .permanence import (
    AdoptionMilestone,
    CareLeaverContact,
    CareProceedings,
    CareProceedingsExtension,
    PathwayPlan,
    PermanencePlan,
    PlacedForAdoption,
    PreviousPermanence,
)
from .proceedings import PreProceedings, PreProceedingsOutcome
from .protection import (
    CategoryOfAbuse,
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
)
from .referral import (
    Assessment,
    AssessmentFactor,
    ChildInNeedPlan,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from .restriction import RecordRestriction
from .supervision import CaseSupervision

__all__ = [
    "CaseSupervision",
    "Adopter",
    "AdopterLeavingReason",
    "AdoptionMilestone",
    "Assessment",
    "AssessmentFactor",
    "CareLeaverContact",
    "CareLeaverEligibility",
    "CareProceedings",
    "CareProceedingsExtension",
    "CategoryOfAbuse",
    "Child",
    "ChildInNeedPlan",
    "ChildProtectionConference",
    "ChildProtectionPlan",
    "Contact",
    "CoreGroupMeeting",
    "DeprivationOfLiberty",
    "Disability",
    "EarlyHelpEpisode",
    "HealthAssessment",
    "Involvement",
    "LookedAfterEpisode",
    "LookedAfterReview",
    "MissingEpisode",
    "OutcomesReturn",
    "PathwayPlan",
    "PermanencePlan",
    "PersonalEducationPlan",
    "PlacementRegulation",
    "PlacedForAdoption",
    "PreProceedings",
    "PreProceedingsOutcome",
    "RecordRestriction",
    "PreviousPermanence",
    "Referral",
    "Section47Enquiry",
    "Sex",
    "StrategyDiscussion",
    "UnaccompaniedAsylumSeeker",
    "Visit",
]
