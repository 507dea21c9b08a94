"""Seed 002: BCP Council children's services 15-point action plan (2020-21), after the
Ofsted focused visit of October 2020; transcribed from /work/shared/seeds/002_59aa0e8c80b42291.txt.

Each point has the seed's three columns: outcomes sought, evidence base for
improvement, future ambition. Cells that ran across a page break (4, 12) are
joined. The seed names no references, leads, dates or RAG: the import numbers the
actions 1.1, 1.2 ... and the plan ends in June 2021 (as the seed says). The seed's
"7 obsessions" are a picture in the original and their wording is not in the text."""

TITLE = "THE BCP CHILDREN'S SERVICES ACTION PLAN"
HEADER = ["Outcomes sought", "Evidence base for improvement", "Future ambition"]

POINTS = [
    (
        "1. Strengthening child-centred practice",
        "Inspectors found we were not making a big enough positive difference to the lives of children and young "
        "people. They found we paid too much attention to their parents and too little to them. Children were too "
        "frequently processed as cases, rather than their needs being met as a priority. Their voices were not heard "
        "sufficiently nor did their stories 'leap off the page' in case notes and reports.",
        [
            (
                "Children feel more supported",
                "Children feel more supported with improvements made to their daily lived experience",
                "To be child-led and child-inclusive as a service, appropriate to each child",
            ),
            (
                "BCP becomes a better 'corporate parent'",
                "CIC * and CYEP * have their needs better met (their feedback says so + file reviews and audits",
                "For each child in care to be looked after as well as they would be in the families of senior "
                "councillors and officers",
            ),
            (
                "The young people being tracked over the next few months report a higher positive impact on their "
                "lives by BCP",
                "Reports to the Improvement Board show that BCP has added value by measures like providing a (more) "
                "secure base and sustainable benefits",
                "80% satisfaction level with BCP. It is not possible to get close to 100% given the roles social "
                "workers have to play in the lives of some young people, where they have to take steps to protect "
                "them from harm or exploitation.",
            ),
        ],
    ),
    (
        "2. Moving to a single case management system",
        "This action migrates the last cases on Care Director to Mosaic, to establish Mosaic as the single case "
        "management system for children's social care in BCP. Further technical upgrades will be made to support "
        "front-line practitioners and managers practice 'active case management'. This will help children and young "
        "people by making administration in the background easier.",
        [
            (
                "Data migration (Care Together)",
                "Data migrated",
                "Continuously increasing functionality by a funded programme of technical upgrades and better take up "
                "by users of that functionality",
            ),
            (
                "Upgrade Mosaic to version 20.1.2",
                "Other systems like Synergy, CCIS and Core+YOT connected",
                "Simplification of workflows and service-specific improvements",
            ),
            (
                "Clearer integration of Mosaic with Signs of Safety",
                "Children's User Group commissions viable upgrades based upon analysis of service improvement "
                "potential",
                "Continuously improving functionality which supports the integration of Signs of safety into the "
                "practice framework",
            ),
        ],
    ),
    (
        "3. Achieving permanence for children in care",
        "All children in care need a secure base. Permanence is different for a baby and a teenager, but each needs "
        "the right permanency option for them. Permanence plans must be in place for all children in care and they "
        "must be achieved as soon as possible. This is early permanence although for the child concerned, it may "
        "already be 'late' if they have suffered trauma, abuse or neglect for a while. A culture of urgency is "
        "needed to achieve the right settled, secure and table placement for every child in care.",
        [
            (
                "That all children in care (CIC) have a good plan for permanence which is being driven forward",
                "Quarterly audits establish no avoidable delay for any child with a permanence plan",
                "A greater range of placements (placement sufficiency) and a quicker legal process when needed e.g., "
                "Special Guardianship Orders and Adoption Orders",
            ),
            (
                "Greater security and long-term stability for children in care",
                "Independently chaired reviews and feedback show an increasing percentage of CIC feel they have a "
                "secure base",
                "More active involvement by children in care in their care journeys and the options available to them",
            ),
            (
                "Stronger scrutiny by Independent Reviewing Officers (IRO's)",
                "Quarterly audits of IRO input and added value to care plans and permanence plans",
                "IRO's add value to all plans, using dispute resolution techniques when needed and escalate concerns "
                "within an escalation framework",
            ),
            (
                "Parallel planning including contingency planning",
                "That all permanence plans have a coherent and timely Plan B if Plan A cannot be achieved",
                "Well-resourced and viable Plans A and B for all CIC",
            ),
            (
                "Stronger supervision and management oversight",
                "The impact of supervision and management oversight is clear in case notes, assessments and plans",
                "The highest possible impact of supervision and management oversight on the quality of front-line work",
            ),
        ],
    ),
    (
        "4. Referral handling and assessment",
        "BCP needs a clearer workflow between the multi-agency safeguarding hub (MASH), the Assessment Service and "
        "Early Help. Together, these services should comprise an 'integrated front door'. The Action Plan will "
        "ensure that cases are well triaged and assessed and passed to the right service with the right information "
        "via a warm handover i.e., continuity of service. Assessments need to be of a consistently higher quality.",
        [
            (
                "Clear workflows between MASH, Assessment and Early Help which are well understood internally and "
                "externally",
                "All social care cases wrongly held in Early Help are transferred to the right team. Early Help is "
                "engaged at the earliest possible time without an unduly complicated workflow.",
                "No wrong door model introduced with the Early Help Locality Hubs engaging with children, young people "
                "and families at the earliest possible stage",
            ),
            (
                "A culture of help to become the dominant culture",
                "A presumption of support in place, with need and risk well balanced and with both assessed and "
                "responded to well",
                "Concurrent help and risk management introduced into the practice framework",
            ),
            (
                "Children's Services (CS) to routinely input into EHC assessments and plans",
                "Audits of EHCP's show a much higher level of CS input into the care needs of children and young "
                "people who meet the threshold for an EHCP",
                "Ever-improving quality of EHCP's and the implementation of those plans (audits show an increasing "
                "percentage)",
            ),
            (
                "Early Help re-configured with a smaller number of high impact programmes which are affordable within "
                "the resource level",
                "Early Help diagnostic implemented",
                "Each Approved programme has its own evidence base and methodology with staff trained as specialists",
            ),
            (
                "A sea change in the quality of assessments, with better use of evidence, more analysis and more "
                "understanding of the lived experience of children, young people and their families",
                "Assessment Service transformed. Audits show rapidly improving quality of baseline assessments",
                "Assessments provided through experienced stable teams of permanent staff only occasionally "
                "supplemented by agency staff (rather than the other way round)",
            ),
        ],
    ),
    (
        "5. Decision-making and plans",
        "All decisions taken about children and young people have an evidence base and rationale recorded on the "
        "file. Assessments and plans are also evidence-informed so that there is a clear flow from the assessment "
        "through the decisions into the plan or plans.",
        [
            (
                "Decisions taken about children and young people are evidence-informed with a written rationale",
                "Quarterly audits show an ever-increasing number of decisions are evidence-informed, with a written "
                "rationale on file",
                "Single-agency and multi-agency decision-making is outstanding and visible at every stage of a child's "
                "journey.",
            ),
            (
                "Plans for all children and young people demonstrably promote improvements in well-being and "
                "decreases in the risks they face",
                "Quarterly audits",
                "Co-produced plans (with the child or young person and their safe family members and significant "
                "others), with the role of everyone concerned made clear",
            ),
        ],
    ),
    (
        "6. Oversight of Public Law Outline (PLO) cases",
        "These are applications to a family court for additional protection in the form of a court order, often "
        "requesting a child is removed from their family and placed elsewhere e.g., with extended family or outside "
        "of the family altogether. These are some of BCP's most vulnerable children and young people, so these "
        "applications and the court processes must not be avoidably delayed by BCP.",
        [
            (
                "The thresholds for a family court application, including for secure accommodation, are sound and "
                "consistent",
                "Active involvement from the Case Progression Officer in all cases at both the pre-proceedings stage "
                "and in the court process. Quarterly audits to assess the quality of the Social Work Evidence "
                "Template and the court care plan",
                "High quality court applications with all options for diversion considered before proceedings are "
                "issued. Good contingency plans accompanying each application",
            ),
            (
                "No avoidable delays in case progression through the court",
                "Effective supervision and management oversight recorded on the file",
                "Zero avoidable delay",
            ),
        ],
    ),
    (
        "7. Quality Assurance",
        "Good quality assurance prevents some serious mistakes being made and improves everyday practice. Quality "
        "assurance systems need to be strengthened so that BCP can show it is learning from experience and putting "
        "those lessons into practice without delay.",
        [
            (
                "Improvements in practice between December 2020 and March 2021",
                "1) A baseline audit of 80 cases in December 2020, re-audited in March 2021\n"
                "2) Casework gradings improve",
                "To be auditing a sample of work and a sample of workers proportionately as part of everyday practice.",
            ),
            (
                "Developing a revised quality assurance framework and an annual scrutiny programme for 2021/22",
                "Revised framework in place, auditors trained, staff aware and a structured scrutiny programme being "
                "ready to go by 1 April 2021",
                "For quality assurance activity to be demonstrating a direct link with practice improvement and "
                "higher standards",
            ),
        ],
    ),
    (
        "8. Develop a more open and inclusive culture",
        "Staff and partner agencies need to be included more in how BCP develops and operates. The corporate centre "
        "and councillors are now more engaged. This is a positive start. A more 'open and inclusive' culture will "
        "make staff feel more respected, trusted and listened to – the same culture that we are aiming for with the "
        "children and families we work with. 'Culture' is as important as 'strategy' when improvements are needed, "
        "so this is a crucial part of the Action Plan.",
        [
            (
                "A continuous improvement in staff morale and satisfaction, including in measures to support their "
                "well-being",
                "Quarterly staff surveys show morale is improving, workloads are felt to be more manageable and staff "
                "feel the risks they hold are shared with managers and the organisation corporately",
                "Happy, high-performing staff in an organisation in which the sum of the whole is greater than the "
                "sum of the parts.",
            ),
            (
                "Roles and teams in the structure are clear to staff and partner agencies",
                "A greater awareness and application of 'the way we work around here' inside and outside of BCP",
                "The organisation ticks over quietly in the background, supporting and inspiring staff to go about "
                "their work.",
            ),
            (
                "BCP becoming an 'employer of choice'",
                "1) More permanent staff, fewer agency staff and interims\n"
                "2) Lower flight risk by improving workforce security and stability",
                "BCP is established as an 'employer of choice' with staff proud to work for BCP and proud to be "
                "high-performing",
            ),
        ],
    ),
    (
        "9. Stronger leadership and management",
        "BCP has experienced too many changes of leadership and direction in the recent past. A period of stability "
        "and growth is now essential. Senior managers must motivate and inspire their workforce more. Above all, "
        "they must be able to articulate a vision of how BCP should work and be clear about the roadmap to get there.",
        [
            (
                "Culture change to one of practice leadership and education",
                "The narrative in team meetings, practice events and awaydays is more about children and what they "
                "need than being about the organisation and its troubles",
                "For BCP to be a practice-led culture in a position to contribute to sector-led improvement rather "
                "than to be just on the receiving end of help and support.",
            ),
            (
                "The operating model is clear",
                "Rapid Improvement Toolkit developed and in widespread use, making everything clear",
                "The operating model is regularly updated with input from those using BCP services as well as staff "
                "and partner agencies",
            ),
        ],
    ),
    (
        "10. SEND",
        "SEND services need considerable improvement to be delivered in a timelier way, with a greater priority "
        "being attached to them by all agencies and with more of a culture of co-production with families who too "
        "often feel unsupported.",
        [
            (
                "Move the percentage of EHC assessments completed within the statutory timescale to at least the "
                "national average",
                "Consistent monthly percentage increases in the completion rate + regular audits show increasing "
                "quality in EHC plans",
                "For the statutory SEND service to operate without backlogs. A more varied number and type of service "
                "packages being commissioned.",
            ),
            (
                "More input from Children's Services into EHCP's",
                "(cross-referenced to 4 above)",
                "Care, health and education give equal priority to SEND",
            ),
            (
                "The child's story and the family's narrative are the start of an EHC plan",
                "Quarterly audits show this is being done on all new plans (30-40 each month)",
                "Assessments and plans are a co-production between professionals and families",
            ),
            (
                "The SEND diagnostic and SEND Learning and Improvement Plan are being delivered at pace",
                "All actions implemented on time (to be monitored by the SEND Improvement Board)",
                "High levels of satisfaction in the community about statutory and non-statutory SEND services",
            ),
        ],
    ),
    (
        "11. Quality of case recording",
        "Case notes and reports for all purposes need to be more evidence-based and analytical.",
        [
            (
                "More analytical writing in case notes and reports",
                "Best practice examples identified, taught systematically and made available to all staff for "
                "reference purposes. Quarterly audits confirm improvement",
                "For all written work to show good use of language, punctuation and sentence construction and for "
                "all recording and reports to be brief, analytical and evidence-based",
            ),
        ],
    ),
    (
        "12. Performance management, including the quality of supervision",
        "",
        [
            (
                "Regular supervision for all staff",
                "Audit of supervision records for frequency and quality. Self-reporting of supervisees confirms added "
                "value",
                "Supervision adds value to the job and person being supervised and it is clear from file records that "
                "children and young people benefit indirectly from the type of supervision being carried out",
            ),
            (
                "Situational supervision being available in a crisis",
                "Self-reporting of practitioners that they can access high quality advice and support in a crisis or "
                "emergency",
                "That a 'team around the practitioner' and 'team around the manager' model ensures high levels of "
                "support and constructive challenge for all staff",
            ),
            (
                "An industry-standard performance management system is developed",
                "System in place with all levels and aspects of performance being managed",
                "Performance management makes a significant contribution to quality of practice and use of resources",
            ),
        ],
    ),
    (
        "13. Impact of Independent Reviewing Officers (IRO's)",
        "",
        [
            (
                "Higher impact and clear added value to care and permanence plans",
                "Audits of a sample of children and young people's plans show added value",
                "The IRO service is a valued and vital check and balance within the corporate parenting function",
            ),
            (
                "Advocacy role for Children in Care when appropriate",
                "IRO's required to self-report every 6 months",
                "All CIC who need an advocate can count on their IRO to be that advocate",
            ),
            (
                "Escalation of concerns when needed",
                "Escalation policy in place. Senior managers responsible for ensuring it is being used.",
                "Urgent cases are automatically escalated when dispute resolution fails",
            ),
        ],
    ),
    (
        "14. School-related improvements",
        "",
        [
            (
                "Reduced exclusions",
                "A downward trend in permanent and fixed-term exclusions, supported by the 'team around the school' "
                "to ensure multi-agency support is made available to prevent an exclusion",
                "Zero permanent exclusions",
            ),
            (
                "Reduced level of EHE causing concern",
                "A grip of the data and care and support packages made available to children in EHE causing concern",
                "No EHE arrangements give a safeguarding or welfare concern",
            ),
            (
                "Steps to reduce inequalities",
                "A programme to reduce inequalities receives prominence in the BCP Children and Young People's Plan "
                "for 2021/24",
                "A dashboard of inequalities is monitored at every Partnership Board and shows a continuously "
                "reducing gap",
            ),
            (
                "Virtual School (VS) champions the educational and schools needs of all children in care",
                "More visibility by the VS Head Teacher who has set up a managed network of schools and foster carers "
                "to promote and champion the needs of children in care",
                "The Virtual School uses authority with schools and colleges to ensure all children in care receive a "
                "bespoke service which enhances their life chances.",
            ),
        ],
    ),
    (
        "15. Corporate contributions to the transformation of children's services",
        "",
        [
            (
                "Faster and better recruitment",
                "1) Recruitment and retention payment in place\n"
                "2) A steady growth in the number of permanent staff and reduced use of agency staff",
                "Stable high-performing teams made up of permanent staff across Children's Services",
            ),
            (
                "Accommodation options e.g. a care leaver's hub + office accommodation",
                "1) Options for a care leavers hub explored with care leavers and a project underway to deliver this\n"
                "2) Child-friendly office spaces (to enable direct work with children and young people)",
                "Fit for purpose accommodation for staff and children",
            ),
            (
                "Apprenticeships for children in care",
                "Increasing number of apprenticeships in place",
                "An apprenticeship offer for every care leaver who wants to take it up",
            ),
        ],
    ),
]


def rows() -> list[list[str]]:
    out: list[list[str]] = [[TITLE], [], HEADER]
    for heading, description, actions in POINTS:
        out.append([heading])
        if description:
            out.append([description])
        out += [list(a) for a in actions]
    return out
