"""Made-up names, places and providers. First and last names are drawn
independently, so no generated person is anyone in particular. Postcodes use
areas that do not exist in the UK (DB for the demonstration borough, Q for
elsewhere: no real postcode area begins with Q)."""

import random

BOYS = (
    "Aaron Adam Ahmed Alfie Ali Amir Archie Arlo Ayaan Ben Bilal Caleb Charlie Daniel Darius Dylan Elijah Ethan "
    "Ezra Felix Finley Freddie George Harrison Harry Hassan Henry Ibrahim Isaac Jack Jacob Jaden Jake James Jayden "
    "Joel Jonah Joseph Joshua Kai Kian Kofi Leo Leon Liam Logan Louis Luca Lucas Luke Malik Marcus Mason Max "
    "Mohammed Musa Nathan Noah Oliver Omar Oscar Reggie Reuben Riley Roman Ryan Samuel Sebastian Stanley Theo "
    "Thomas Toby Tyler Yusuf Zac Zain"
).split()
GIRLS = (
    "Aaliyah Abigail Aisha Alice Amara Amelia Amelie Ava Bella Chloe Daisy Ella Ellie Elsie Emily Emma Erin Esme "
    "Eva Evie Fatima Florence Freya Grace Hafsa Hannah Harper Hope Imani Isabella Isla Ivy Jasmine Jessica Kayla "
    "Keira Lacey Layla Leah Lily Lola Lucy Maisie Maryam Maya Mia Millie Mollie Nadia Nia Olivia Phoebe Poppy "
    "Priya Rosie Ruby Safa Sara Scarlett Sienna Sofia Sophie Summer Tia Willow Zara Zoe Zuri"
).split()
SURNAMES = (
    "Abbott Adeyemi Ahmed Ali Allen Anderson Asante Atkins Bailey Baker Banks Barker Begum Bennett Bishop Boateng "
    "Bond Brooks Brown Butler Campbell Carter Chambers Chapman Clarke Cole Collins Cooper Cox Cunningham Davies "
    "Dawson Dixon Doherty Edwards Ellis Evans Fernandes Fisher Fleming Foster Fraser Gordon Graham Grant Gray Green "
    "Hall Hamilton Harris Hart Hassan Hayes Hill Holmes Hughes Hussain Ibrahim Jackson James Jenkins Johnson Jones "
    "Kamara Kaur Kelly Kennedy Khan King Knight Kowalski Lewis Lloyd Marsh Martin Mason Matthews Mensah Mills "
    "Mitchell Moore Morgan Morris Murphy Nowak Obi Okafor Okonkwo Oliver Osei Owen Palmer Parker Patel Pearce Phillips "
    "Popescu Powell Price Rahman Reid Richards Roberts Robinson Rose Russell Santos Scott Shah Sharma Shaw Silva "
    "Simpson Singh Smith Spencer Stevens Stewart Taylor Thomas Thompson Turner Walker Walsh Ward Watson Webb White "
    "Williams Wilson Wood Wright Yilmaz Young"
).split()

_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # inward codes never use C, I, K, M, O or V


def first_name(rng: random.Random, sex: str) -> str:
    if sex == "M":
        return rng.choice(BOYS)
    if sex == "F":
        return rng.choice(GIRLS)
    return ""


def surname(rng: random.Random) -> str:
    return rng.choice(SURNAMES)


def person(rng: random.Random) -> str:
    return f"{rng.choice(BOYS + GIRLS)} {rng.choice(SURNAMES)}"


def postcode(rng: random.Random, in_borough: bool = True) -> str:
    area = f"DB{rng.randint(1, 9)}" if in_borough else f"Q{rng.choice('ABEGHLNRSW')}{rng.randint(1, 30)}"
    return f"{area} {rng.randint(1, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"


FOSTERING_AGENCIES = (
    "Brightwater Fostering",
    "Kestrel Family Placements",
    "Harbour Lights Fostering",
    "Willowbank Foster Care",
    "Northstar Fostering Partnership",
    "Oakleaf Fostering",
)
CHILDRENS_HOMES = (
    "Beech House",
    "The Lindens",
    "Meadowview",
    "Fernhill Lodge",
    "Ashcombe House",
    "Rowan Court",
    "Larchwood",
    "Hollybrook",
)
SUPPORTED_ACCOMMODATION = ("Stepping Stones Supported Living", "Harbour Housing Project", "Foyer Point")
RESIDENTIAL_SCHOOLS = ("Greystone School (residential)", "Orchard Park School (residential)")
ADOPTION_AGENCIES = ("South Region Adoption Partnership", "Hearth Adoption (voluntary agency)")
SECURE_UNITS = ("Riverside Secure Children's Home",)
FOUND_LOCATIONS = (
    "Returned to placement of own accord",
    "Returned home of own accord",
    "Found by police at a friend's address",
    "Found by police in the town centre",
    "Found by carer at a relative's address",
    "Located by police out of borough",
    "Found at a train station",
    "Returned after contact from the allocated worker",
)
EARLY_HELP_ORGANISATIONS = (
    "Early Help Hub",
    "Children and family centre",
    "School (lead professional)",
    "Health visiting service",
    "Youth support service",
)
CONTINGENCY_PLANS = (
    "Plan B: long-term fostering with current carers",
    "Plan B: special guardianship with extended family",
    "Plan B: adoption if rehabilitation home does not succeed",
    "Plan B: return to the care of the other parent",
    "Plan B: long-term fostering if assessment of family members is negative",
)
EARLY_HELP_REASONS = (
    "Parenting support",
    "Emotional wellbeing",
    "School attendance",
    "Domestic abuse in the family",
    "Housing and money worries",
    "Child's behaviour",
    "Young carer",
)
EARLY_HELP_END_REASONS = ("Needs met", "Stepped up to social care", "Family disengaged", "Moved away")
OTHER_AUTHORITIES = ("Northgate", "Eastmarsh", "Westvale", "Hillbrook", "Southmere", "Riverton", "Kingsford")
SUPERVISION_ACTIONS = (
    "Update the chronology",
    "Visit within 10 working days and see the child alone",
    "Complete the assessment by its due date",
    "Convene a core group before the review",
    "Request health and school information",
    "Refer to the Exploitation and Missing Team",
    "Consider a family group conference",
    "Discuss with legal: threshold for pre-proceedings",
    "Update the plan with SMART outcomes",
    "Arrange a return home interview",
    "Review contact arrangements",
    "Consider stepping down to early help",
    "Seek a placement closer to home",
    "Complete the pathway plan review",
)
