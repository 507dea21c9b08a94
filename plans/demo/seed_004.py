"""Seed 004: Southwark Post Ofsted Single Inspection Framework Action Plan, October 2017
(Appendix 1), transcribed from /work/shared/seeds/004_c3363aae3245734d.txt.

The columns are the seed's own. As in the seed, the column headed "Progress" holds the
leads' names (one a line here; the text run them together), which is why the import
maps it to "Leads". The RAG colours are not in the text: the cells are blank, except
recommendation 10's, which reads "?????". Recommendation 3's text ran across a page
break and is joined here. The header row repeated on each page is written once."""

TITLE = "Southwark Post Ofsted Single Inspection Framework Action Plan October 2017"
HEADER = ["Recommendation", "Action", "Progress", "Timetable End date", "RAG", "Key points to note"]

R1 = (
    "1. Ensure that prompt decisions are made to safeguard children affected by long-term, cumulative neglect, so "
    "that they are not left in adverse home circumstances for long periods."
)
R2 = (
    "2. Work with partner agencies to ensure that referrals contain sufficient information and that parental "
    "consent has been obtained if necessary, so that management decisions on the required action are timely and "
    "families receive help quickly"
)
R3 = (
    "3. Ensure that strategy discussions and strategy meetings involve all relevant agencies so that multi-agency "
    "information informs assessment of risks"
)
R4 = (
    "4. Ensure that return home interviews with children missing from home and care are completed consistently and "
    "effectively so that the intelligence gained reduces the recurrence of further missing episodes"
)
R5 = "5. Strengthen management oversight of social workers in the children looked after and care leavers' services"
R6 = (
    "6. Ensure that the sufficiency strategy, supported by effective commissioning, provides a better supply of "
    "high-quality placements for children looked after, particularly for adolescents who display challenging "
    "behaviours"
)
R7 = (
    "7. Ensure that children's care plans are effectively and regularly reviewed to confirm whether their needs are "
    "being met through their placements, and establish alternative plans where necessary"
)
R8 = (
    "8. Ensure that children looked after who live outside of the local authority area are not disadvantaged "
    "through slower access to essential services, particularly child and adolescent mental health services, "
    "education support and regular health assessments"
)
R9 = (
    "9. Ensure that children looked after are supported to build strong and enduring attachments to their carers "
    "through more timely permanence decisions for long-term foster family arrangements. Ensure timely life story "
    "work, which is kept up to date."
)
R10 = (
    "10. Ensure that all social workers and personal advisers working with young people leaving care have a clear "
    "knowledge of their current circumstances. This aim should be supported through consistently effective pathway "
    "planning, to ensure that young people understand and receive all their entitlements and that their identified "
    "needs are met."
)
R11 = (
    "11. Ensure that children are aware of how to complain about services provided to them and that more advocacy "
    "support is provided for children on child protection plans and for those who are looked after. Ensure good "
    "access to independent visitors for children looked after."
)

# (recommendation on its first row only, action, leads, end date, RAG, key points to note)
ROWS = [
    (
        R1,
        "Introduce enhanced management oversight approach to key at risk cohorts including\n"
        "- Formal review points of open CIN at 12 months by Practice Group leads\n"
        "- Extend remit of challenge and support and permanence panels to look at longer term duration and repeat "
        "episode CIN, CPP and LAC cases\n"
        "- Develop improved performance management and tracking data for CIN\n"
        "- Develop audit programme that sits within the Quality and Performance Framework to ensure practice is "
        "regularly reviewed including quality of supervision, planning and impact of intervention",
        "April Bald\nElaine Allegretti",
        "April 2018",
        "",
        "- New CIN workflow on MOSAIC and performance management and quality framework under development\n"
        "- Terms of reference for extended panels being developed\n"
        "- Terms of reference drafted for reconfigured multi agency panel for high need LAC\n"
        "- Review of other panels being undertaken as part of the development of a Care Pathway",
    ),
    (
        R2,
        "Undertake a multi agency audit of quality of referrals to identify range of issues and learning for key "
        "agencies. This will underpin dialogue and bespoke programmes of work with key agencies including, training "
        "and development.",
        "April Bald\nJenny Brennan",
        "September 2018",
        "",
        "- Audit yet to be scheduled, this audit will be under the SSCB Audit and Learning sub-group programme. Post "
        "March 2018 programme due to be set later in the year.",
    ),
    (
        "",
        "Embed new MASH and Early Help referral forms.",
        "April Bald\nJenny Brennan",
        "September 2018",
        "",
        "- Forms now in operation and review points scheduled. Feedback will come to SSCB",
    ),
    (
        R3,
        "Joint audit with SSCB to of strategy meetings to inform learning and development areas",
        "April Bald\nCaroline Thwaites",
        "December 2017",
        "",
        "- Audit scheduled for February 2018",
    ),
    (
        "",
        "Review strategy meeting and MASH protocols and operating processes to better utilise MASH partners and "
        "designated leads in strategy meetings",
        "April Bald\nCaroline Thwaites",
        "April 2018",
        "",
        "- New MASH manager appointed and work in progress to local protocol. Outcome to be reported back to SSCB.",
    ),
    (
        "",
        "Explore use of technology in supporting agencies to engage remotely in strategy meetings such as conference "
        "calls",
        "April Bald\nMark Compton-James",
        "April 2018",
        "",
        "- As above. This is be factored into the accommodation strategy and stakeholder work for proposed Queens "
        "Road service building",
    ),
    (
        R4,
        "Continue to deliver work programme of the multi agency Missing and Absent working group including\n"
        "- Reviewing multi agency procedures and policies\n"
        "- Reconfiguring return home interview services impact and effectiveness\n"
        "- Quarterly analysis of intelligence arising from return home interviews to inform service development "
        "activities and partnership working improvements",
        "April Bald\nAndrew Fowler",
        "April 2018",
        "",
        "- Head of Quality Assurance and Social Work Improvement now departmental lead for CSE and Missing to provide "
        "single oversight and practice challenge across the department, including bespoke support to LAC and "
        "Safeguarding Services\n"
        "- New arrangements in place with appropriate adult volunteers to undertake return home interviews for those "
        "pre threshold Contract with external provider ended in September and included TUPE of a staff member to "
        "Care Service. A small working group are reviewing impact of changes to delivery in-house. Especially for "
        "those RHIs required more than 20 miles plus. This includes strengthened contract monitoring of providers "
        "where they are responsible for RHIs under ART",
    ),
    (
        R5,
        "Introduce enhanced management oversight approach to key at risk cohorts including\n"
        "- Development of multi-agency Challenge and Support Panel to assist planning and support for high risk cases "
        "and complex cases of concern\n"
        "- Improved performance management and tracking data for escalating at risk LAC and care leaver cases such as "
        "those at risk of placement breakdown, and with multiple risk factors such as missing, change of school etc\n"
        "- Develop and implement audit programme that sits within Quality and Performance Framework to ensure "
        "practice is regularly reviewed including quality of supervision, planning and impact of intervention",
        "Alasdair Smith\nAndrew Fowler",
        "April 2018",
        "",
        "- Terms of reference drafted for reconfigured multi agency panel for high need LAC\n"
        "- Joint work between Quality and Performance and Improvement and LAC service to develop improved tracking "
        "data for high risk LAC, including a visit to other local authority that is using this approach. This work "
        "will inform audit programme\n"
        "- Care service audit programme agreed and due to start shortly",
    ),
    (
        R6,
        "Undertake multi agency practice review of children and young people who have experienced multiple placement "
        "breakdowns to provide evidence base for improvement plan and sufficiency planning activities and revised "
        "strategy\nalongside;\n"
        "A deep dive of children in residential care to inform sufficiency strategy and service development work "
        "including\n"
        "- South London Commissioning Programme Innovation Programme\n"
        "- Improvements to local fostering provision and plan\n"
        "- Impact and effectiveness of current intervention model",
        "Elaine Allegretti\nAndrew Fowler\nGillian Banford\nHelen Woolgar",
        "April 2018",
        "",
        "- Draft sufficiency strategy and action plan in final draft. Strategy had input from a range of multi agency "
        "stakeholders\n"
        "- Audit of children at risk of placement breakdown to inform future model of practice due to take place in "
        "November/December\n"
        "- Consultant appointed to review current approach to residential care and support reductions in line with "
        "statistical neighbours\n"
        "- Access to Resources Team went live w/c 9 October 2017.",
    ),
    (
        R7,
        "Undertake joint audit between IRO and Care Services against LAC Review standards to identify key strengths "
        "and areas for development to inform shared improvement plan, tracking and review of compliance with local "
        "standards",
        "Elaine Allegretti\nAndrew Fowler",
        "April 2018",
        "",
        "- Peer review with neighbouring local authority of IRO and CP arrangements taking place in October 17\n"
        "- Workshop between IROs and Care Service planned to develop shared standards and approach to good management "
        "oversight",
    ),
    (
        "",
        "Review processes, quality and impact of IRO escalations including tracking and performance management to "
        "support improved outcomes for children and young people",
        "Elaine Allegretti",
        "April 2018",
        "",
        "- A new IRO escalation form being piloted to support better management oversight and tracking of issues. "
        "Once piloted form will move onto MOSAIC to enable formal reporting and performance management\n"
        "- Escalation processes to form a significant part of workshop (above)",
    ),
    (
        "",
        "Implementation of quarterly meeting between Care, Permanence and QAU Services and Speakerbox, to action "
        "practice improvement areas, including multi agency delivery, placements, commissioning and sufficiency "
        "planning themes",
        "Alasdair Smith",
        "April 2018",
        "",
        "- Quarterly meetings are now taking place – enabling better communication between IRO and Care services\n"
        "- Access to Resources Team went live w/c 9 October 2017",
    ),
    (
        R8,
        "Undertake a multi agency practice review of children and young people who are placed out of borough to "
        "provide evidence base for improvement plans for operational oversight and performance management "
        "strategies\n"
        "To introduce designated lead manager for single oversight of children placed out of borough including\n"
        "- Better use of performance data to monitor outcomes and support oversight of any disadvantages of those "
        "placed out of borough\n"
        "- Strengthening IRO role in regard to out of borough and areas for improvement within multi agency offer\n"
        "- Contract and governance reporting requirements to be changed to provide information to support challenge "
        "of access and effectiveness for essential services for example Annual Reports and contract monitoring.",
        "Andrew Fowler\nJackie Cook\nRachel Flagg",
        "April 2018",
        "",
        "- Reconfigured multi agency high need LAC panel to devise scope of review on themes and issues identified\n"
        "- Performance management data set to single oversight of care services and identify potential barriers of "
        "those placed out of borough in development\n"
        "- Role of IRO (see above rec.7)\n"
        "- Brokerage Officers have moved from Commissioning to newly formed Access to Resources Team. Review of "
        "current working practices has commenced.",
    ),
    (
        R9,
        "Introduce under the governance of the Permanence Taskforce a strengthened approach modelled on the "
        "outstanding Adoption best practice\n"
        "- track and challenge quality and permanency planning, focusing on key cohorts such as younger children, and "
        "those in long term foster care\n"
        "- Introduce programme of workshops, champions and training for local life story work, as part of the local "
        "Life Story Work Works campaign including guidance and standards",
        "Alasdair Smith\nHelen Woolgar",
        "December 2018",
        "",
        "- New Public Law Outline (PLO) workflow and performance management framework now in place\n"
        "- Monthly Care Service Permanence Tracking Panel established in June, underpinned by a permanence tracking "
        "strategy – pilot of two cases of children under 10 for co-working underway\n"
        "- Life Long Links project now in place and shortly to identify first cohort of LAC and coordinator due to "
        "start in November 2017\n"
        "- Specialist Life story worker is in post. This person offers training to staff around life story work and "
        "individual work with children where appropriate.",
    ),
    (
        R10,
        "Ensure that development of the Care Leavers Partnership with Catch 22 addresses as a priority\n"
        "- Improved quality and approach to Pathway Planning including clear standards and expectations\n"
        "- Multi agency engagement in pathway planning and practice to inform new arrangements\n"
        "- Address recommendations of the Children and Education Scrutiny Committee Review of Local Offer for Care "
        "Leavers",
        "Alasdair Smith\nAndrew Fowler",
        "Phase 2 of Catch 22 programme",
        "?????",
        "- Stakeholder event with services, users and partner agencies to share progress so far and to inform next "
        "steps scheduled for end of October\n"
        "- Work on model development in progress including looking at best practice and options for delivering model "
        "to inform development of local blueprint. Session between local authority and C22 senior leaders scheduled "
        "for end of October\n"
        "- Programme Manager in place",
    ),
    (
        R11,
        "Speakerbox to develop local communication programme to support young people to understand how to complain",
        "Jackie Cook",
        "April 2018",
        "",
        "- New Speakerbox participation workers now in place and workplan includes communication strategy scheduled "
        "for later in the year",
    ),
    (
        "",
        "Re-commission advocacy service and Independent visiting service, to include those children on child "
        "protection plans",
        "Jackie Cook",
        "April 2018",
        "",
        "- Recommissioning of advocacy service to start in Autumn 2017 and will extend to those with CPP",
    ),
    (
        "",
        "Improve visibility and promotion of complaints and advocacy services through existing mechanisms such as "
        "visits, reviews and performance management and reporting",
        "Jackie Cook",
        "Ongoing",
        "",
        "- See above",
    ),
]


def rows() -> list[list[str]]:
    return [[TITLE], ["APPENDIX 1"], HEADER, *[list(r) for r in ROWS]]
