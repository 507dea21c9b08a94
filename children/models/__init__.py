"""The register of children's journeys.

Names follow the Standard Safeguarding Dataset and the national returns;
docs/register-mapping.md says which CIN census, SSDA903 and Annex A field
lands in which column.
"""

from .child import Child, Disability, Involvement, Sex
from .early import Contact, EarlyHelpEpisode
from .referral import (
    Assessment,
    AssessmentFactor,
    ChildInNeedPlan,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from .protection import (
    CategoryOfAbuse,
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
)
from .looked_after import (
    HealthAssessment,
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    OutcomesReturn,
    PersonalEducationPlan,
    UnaccompaniedAsylumSeeker,
)
from .permanence import (
    AdoptionMilestone,
    CareLeaverContact,
    CareProceedings,
    PathwayPlan,
    PermanencePlan,
    PlacedForAdoption,
    PreviousPermanence,
)

__all__ = [
    "AdoptionMilestone",
    "Assessment",
    "AssessmentFactor",
    "CareLeaverContact",
    "CareProceedings",
    "CategoryOfAbuse",
    "Child",
    "ChildInNeedPlan",
    "ChildProtectionConference",
    "ChildProtectionPlan",
    "Contact",
    "CoreGroupMeeting",
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
    "PlacedForAdoption",
    "PreviousPermanence",
    "Referral",
    "Section47Enquiry",
    "Sex",
    "StrategyDiscussion",
    "UnaccompaniedAsylumSeeker",
    "Visit",
]
