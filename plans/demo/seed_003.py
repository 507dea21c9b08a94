"""Seed 003: Bromley Safeguarding Children Board Business Plan 2013-2014 (Version 2, March 2013),
transcribed from /work/shared/seeds/003_360affae839af524.txt.

The source is a PDF converted to text, and some rows came out broken. Where a cell
ran across a page or into the next row, it is put back together here:
- 4.3 / 4.4: the "2013" at the top of 4.4's milestones ends 4.3's last milestone ("– Sep 2013").
- 4.7 / 4.8 / 4.9: the text "with a plan." and "because professionals can identify ..."
  ends 4.7's summary and outcomes; the milestones "Analysis to go to QA group – Feb 2014"
  and "Report considered by Board – Feb 2013" and the lead's "Assurance July 2013" are
  4.7's; "February 2013" is 4.8's completion date.
- 5.1 - 5.4: the summary column was clipped at its right edge. Words split across the
  clip are joined where both halves are in the text; "[...]" marks words that are lost.
- The RAG column's colours are not in the text; its words are kept as they are.
"""

TITLE = "Bromley Safeguarding Children Board Business Plan 2013-2014 Version 2 – March 2013"
HEADER = ["Ref", "Action Summary", "Outcomes", "Milestones", "Lead & Completion Date", "Current Status (RAG)"]

AREAS = [
    (
        "Area 1: Strategic leadership and accountability",
        "The main function of the Board is to hold agencies to account, scrutinising their arrangements and "
        "services to protect children from harm or abuse and prevent further harm/abuse. This requires a Board "
        "structure to facilitate this approach, supported by a multi-agency performance framework providing "
        "transparent information and feedback to agencies about the effectiveness of their individual and joint "
        "safeguarding practice.",
        [
            (
                "1.1",
                "Section 11 agency self assessments of safeguarding undertaken on a rolling basis and risk and "
                "issues addressed by Board.",
                "Board provides effective scrutiny and challenge to ensure agency safeguarding arrangements are in "
                "place and work effectively to safeguarding children.",
                "Section 11 Audit Schedule agreed by QA&PM – Mar 2013\n"
                "Agencies complete Section 11 Audits – every QA & PM Ctte\n"
                "QA&PM scrutinise audits at bi-monthly meetings - various",
                "BSCB Business Manager\nQA & PM Ctte\nThroughout 2013-14",
                "",
            ),
            (
                "1.2",
                "Board to receive, comment and evaluate as appropriate Annual Reports from statutory agencies and "
                "from voluntary sector",
                "Board members show strategic leadership through reviewing key statutory reports and plans and "
                "ensuring agencies are held to account for activities and outcomes. Strong partnership with "
                "voluntary sector in Bromley.",
                "Schedule of Agency Annual Reports agreed at QA&PM – Mar 2013\n"
                "Board to scrutinise agencies Annual Reports – by Sept 2013",
                "All agencies\nOngoing 2013-14",
                "",
            ),
            (
                "1.3",
                "Develop BSCB Annual Report 2012-13",
                "The Board is transparent and held to account by agencies and publically through publication of an "
                "annual report which reports on the joint work undertaken, its implementation and the impact on "
                "outcomes for children young people and what is to happen next.",
                "First draft of annual report completed – May 2013\n"
                "Annual Report considered by Board – Jun 2013\n"
                "Publication of Annual Report – Jul 2013",
                "Business Manager\nJuly 2013",
                "",
            ),
            (
                "1.4",
                "The Board reviews Inspection Report Action Plans/ Partnership Plans to ensure management oversight "
                "of agency safeguarding practice.",
                "Board show strategic leadership and engagement through reviewing inspection reports, actions plans "
                "and partnership plans and ensuring agencies are held to account for activities and outcomes in "
                "relation to children's safeguarding.",
                "Schedule of agency inspection reports agreed at QA&PM - Mar 2013\n"
                "Inspection Reports/ Action Plans considered by Board/ QA&PM as appropriate",
                "All agencies\nThroughout 2013-4",
                "",
            ),
            (
                "1.5",
                "Review Board structure to ensure it is fit for purpose for effective safeguarding leadership and to "
                "drive improvements in practice and outcomes.",
                "Partner agencies work together to safeguard children and young people at a fuller range of levels. "
                "Safeguarding risks and issues are minimised through regular monitoring and managing risk and issues "
                "jointly across the partnership.",
                "Structure discussed at Awayday – Nov 2012\n"
                "Partners informed of new structure – Jan 2013\n"
                "Revised structure in place and functioning effectively – Mar 2013",
                "Business Manager\nMarch 2013",
                "Agreed by Executive. Due January 2013",
            ),
            (
                "1.6",
                "Lay Membership of BSCB reviewed taking into account requirements in new Working Together to "
                "Safeguard Children 2013.",
                "Key community & voluntary groups and its leaders are engaged fully in the work of the BSCB and play "
                "a part in the strategic direction and promotion of safeguarding in Bromley. Children attending "
                "voluntary /community groups are appropriately safeguarded because arrangements are in place.",
                "QA& PM to review requirements of lay members – May 2013\n"
                "Review of lay membership completed – July 2013\n"
                "Ensure lay members are supported to discharge their duties – Aug 2013",
                "Business Manager\nAug 2013",
                "",
            ),
            (
                "1.7",
                "Develop a training strategy for 2013-14 focusing on training priorities.",
                "Children & Young people who present with a safeguarding concern are protected by professionals, who "
                "know what to do to safeguard them. This is achieved through Board setting the parameters of "
                "training to support local priorities, improve practice and joint working. This is delivered through "
                "a core multi agency core training programme.",
                "Draft training strategy – Mar 2013\n"
                "Training strategy to be considered by Training Committee – Mar 2013",
                "Business Manager\nL&D Manager\nApril 2013",
                "",
            ),
            (
                "1.8",
                "Single Agency Safeguarding Training Plans considered by Board",
                "Enhanced staff confidence and awareness of safeguarding leading to better protection of children "
                "through robust Single Agency Training. Training addresses any issues raised in SCRs/Case Reviews, "
                "audits, national or local concerns.",
                "Agency training plans collated – March 2013",
                "All agencies\nMarch 2013",
                "",
            ),
        ],
    ),
    (
        "Area 2: Improve safeguarding through effective communication",
        "The Board has a statutory duty under Working Together 2010 to promote safeguarding and child protection "
        "locally to prevent harm and abuse to children and young people. It has a responsibility to share key "
        "safeguarding and child protection messages with local partners and the public harm or abuse and prevent "
        "further harm/abuse.",
        [
            (
                "2.1",
                "Ensure BSCB website is an effective safeguarding information hub to share key safeguarding messages "
                "& learning with agencies in Bromley",
                "Local agencies know about local safeguarding practice issues, training, where to obtain policies and "
                "procedures, information and key messages.",
                "Research other websites – Apr 2013\nReview content of BSCB website – May 2013\n"
                "Update & re-design BSCB website – July 2013",
                "Business Manager\nJuly 2013",
                "",
            ),
            (
                "2.2",
                "Safeguarding information and messages communicated regularly to partnership including promotion of "
                "BSCB protocols and guidance.",
                "Local agencies safeguarding practice is improved through being kept up to date with safeguarding "
                "information and key messages from the BSCB.",
                "Regular newsletter developed and disseminated through Safeguarding Network – Mar 2013 / Jun 2013 / "
                "Sep 2013 / Dec 2013",
                "Business Manager\nMarch 2013\nJune 2013\nSeptember 2013\nDecember 2013",
                "",
            ),
            (
                "2.3",
                "Scheduled communication events run by the BSCB to promote safeguarding and disseminate safeguarding "
                "messages locally",
                "More children are safeguarded through improved awareness and through better multi agency working. "
                "Networking between agencies is enhanced through briefings. Practitioners informed of improvements.",
                "",
                "Business Manager\nAgreed dates throughout year",
                "",
            ),
            (
                "2.4",
                "Annual Safeguarding Conference will be held on a key local/regional/ national safeguarding issue.",
                "Evaluation indicates enhanced awareness and practice among professionals on the key safeguarding "
                "message addressed by the conference.",
                "Conference Key issue agreed – Mar 2013\nConference Working Group set up – Mar 2013\n"
                "Conference arrangements put in place – Mar – Oct 2013\nConference Held – Nov 2013",
                "Business Manager\nNovember 2013",
                "",
            ),
            (
                "2.5",
                "Safeguarding Network will assist in communicating safeguarding priorities to frontline staff and "
                "will have improved contact with other agencies",
                "Section 11 agency assessment shows that agencies are aware of local safeguarding priorities and "
                "demonstrate improved contact with other agencies.",
                "",
                "Business Manager\nDecember 2013",
                "",
            ),
            (
                "2.6",
                "Arrange briefings on Working Together 2013 and revised London Child Protection Procedures.",
                "Professionals from across the multi-agency partnership are fully aware of the revised procedures to "
                "protect children from further harm or abuse and know how to apply the procedures within Bromley and "
                "in London.",
                "",
                "HOS – Quality Assurance & Safeguarding\nBusiness Manager\nMay 2013",
                "Awaiting revised guidance",
            ),
            (
                "2.7",
                "Ensure all agencies are aware of information sharing guidelines to enable information between "
                "partners to be shared effectively and securely in a timely and robust manner",
                "All professional who work with children know how and when to share information with other "
                "professionals to keep children safe. There is effective sharing of information between partners in "
                "a timely and robust way.",
                "Ensure information sharing guidelines are incorporated into core multi-agency training – Apr 2013\n"
                "Review information sharing guidelines in light of Caldicott Review – May 2013",
                "Business Manager\nJuly 2013",
                "",
            ),
        ],
    ),
    (
        "Area 3: Monitoring & Quality Assurance",
        "The Munro review of Child Protection challenged LSCBs to demonstrate how their work improved outcomes for "
        "children and young people and to ensure that LSCBs know how their work impacts on the outcomes for "
        "children. Changes to the Ofsted Inspection Framework and to statutory guidance Working Together (due in "
        "2013) support this. In order to hold agencies to account fully for their safeguarding and child protection "
        "activities, all boards must have a robust performance management and quality assurance framework.",
        [
            (
                "3.1",
                "Develop a Performance Management Framework for Bromley Safeguarding Children Board (BSCB).",
                "Board members are assured of safeguarding practice within key agencies and across the safeguarding "
                "network through a programme of multi-agency case audits, regular review of data, single agency "
                "section 11 audits and evaluations, case reviews and management reviews undertaken to share learning "
                "from multi-agency safeguarding near misses ( i.e. where a case did not meet criteria for a SCR).",
                "Draft Framework considered by QA&PM – Mar 2013\nAnnual programme of multi-agency audits agreed – Mar "
                "2013\nSingle agency audit schedule developed – May 2013",
                "Performance & Improvement Officer\nAudit Group\nApril 2013",
                "",
            ),
            (
                "3.2.",
                "Review quarterly safeguarding dataset to include more multi agency data and to reflect outcomes.",
                "Board uses analysis of trends to determine local safeguarding priorities, set policy and procedure "
                "among agencies and promote good practice.",
                "Review safeguarding dataset – Mar 2013\n"
                "Quarterly dataset produced and considered by Board – Apr 2013 / Jul 2013 / Oct 2013",
                "Performance & Improvement Officer\nApril 2013\nSeptember 2013\nNovember 2013",
                "",
            ),
            (
                "3.3",
                "Establish a group with the appropriate expertise to conduct case reviews and multi –agency thematic "
                "or case audits. Multi Agency Audit Group will report to the QA &PM Committee",
                "Learning from case reviews and audits shared with agencies and improvements in practice and services "
                "are made.",
                "Multi agency group set up – Jan 2013\nPerformance Management Framework developed – Mar 2013\n"
                "Develop schedule of multi-agency audits – Mar 2013",
                "QA & PM\nongoing 2013-14",
                "For further details see Performance Management Framework",
            ),
            (
                "3.4",
                "Monitor and evaluate BSCB training to ensure it leads to improvements in safeguarding practice and "
                "outcomes for children and family",
                "Children are appropriately protected by professionals who know and understand their respective roles "
                "and responsibilities in relation to working together to protect children.",
                "Evaluation forms for training developed – Mar 2013\n"
                "Pilot evaluation forms for training sessions and 3 months post training – Apr 2013\n"
                "Develop quarterly training evaluation reports focusing on impact of training and outcomes for "
                "children and families -",
                "Business Manager\nL&D Manager\nSeptember 2014",
                "",
            ),
        ],
    ),
    (
        "Area 4: Improving Outcomes for Children and Young People",
        "Specific multi-agency policies, procedures, projects and interventions aimed at improving the outcomes for "
        "children and young people through effective multi agency safeguarding work.",
        [
            (
                "4.1",
                "Domestic Violence perpetrators programme to be evaluated and Board to support its continuation, if "
                "intervention is assessed to be effective",
                "Fewer MERLINS, MARAC referrals and fewer incident notifications for families involved in programme. "
                "Reduced length of time children are subject to a CP Plan. Better engagement from fathers in CP "
                "Process. Fewer care proceedings relating to domestic abuse",
                "Evaluation of programme completed – Oct 2013\n"
                "Board to consider evaluation and future support of programme – Nov 2013",
                "Domestic Abuse Strategy Coordinator\nNovember 2013",
                "",
            ),
            (
                "4.2",
                "Better identification and early intervention for children living with domestic violence.",
                "Greater level of professional awareness of DV. Increased referrals for DV notified to Early "
                "Intervention and CSC over two year period. After three year period fewer notifications of children "
                "living with domestic violence by police leading to reduction of children with a child protection "
                "plan due to DV.",
                "Domestic Violence Training included as part of multi agency training – Apr 2013\n"
                "Fully operational MASH – July 2013\n"
                "After 18 months – lower numbers of children subject to domestic violence – Oct 2014",
                "Head of Service – Quality Assurance & Safeguarding\nOct 2014",
                "",
            ),
            (
                "4.3",
                "Implementation of Child Sexual Exploitation (CSE) Strategy and Action Plan by CSE Group",
                "Young people experiencing SE are identified by professionals leading to initial increase in reported "
                "SE cases, referrals to CSC and a support service is available to them.",
                "Action plan developed by strategy group – Oct 2012\n"
                "Awareness raising of signs and symptoms amongst professionals – Feb 2013\n"
                "Develop monitoring on number of young people at risk of and victims of sexual exploitation – Sep 2013",
                "Chair of CSE Strategy Group\nDecember 2013",
                "",
            ),
            (
                "4.4",
                "Establish Multi Agency Sexual Exploitation (MASE) panel to manage and review cases of SE.",
                "Young people at risk of or experiencing SE are offered interventions early. Board has Multi agency "
                "oversight of SE. leads to early effective intervention with young people and their families where "
                "young people are at risk of SE or are experiencing SE. Board is assured of effective multi-agency "
                "working arrangements.",
                "Six monthly reports on progress to Board – Feb 2013 / Sep 2013\nMASE Panel established – May 2013\n"
                "Training and awareness raising within BHC by named nurse and YOT nurse -\n"
                "Establish multi-agency intervention project with Barnardos to work with identified children "
                "– Sep 2013",
                "Chair of CSE Strategy Group\nSeptember 2013",
                "",
            ),
            (
                "4.5",
                "Develop a multi agency plan around safeguarding Older Young People.",
                "The Board is assured that safeguarding arrangements for older young people are robust and protects "
                "them from harm during the period of transition to adulthood and adult services.",
                "",
                "HOS – Bromley Youth Support Programme\nMay 2013",
                "",
            ),
            (
                "4.6",
                "Continued roll out and dissemination of best practice on working with neglectful families",
                "Children are not left in neglectful circumstance longer than need be as professional identify cases "
                "more readily and know how to work with such cases and are aware of when to refer to social care.",
                "Multi-agency training on working with neglectful families commissioned – Apr 2013\n"
                "Promote guidance and disseminate best practice working with early years providers – May 2013\n"
                "BHC to commission further ADAM training for HVs and school nurses",
                "Business Manager\nL&D Manager\nEarly Years Manager\nMay 2013",
                "",
            ),
            (
                "4.7",
                "Review report summarising number and outcomes for black and minority ethnic children and young "
                "people with a plan.",
                "BME children have equal access to early intervention safeguarding. BME are not left in harmful "
                "circumstances longer than necessary because professionals can identify safeguarding issues in "
                "communities and are confident in addressing them.",
                "Multi-agency re-audit of BME children subject to CP Plan – Feb 2014\n"
                "Analysis to go to QA group – Feb 2014\nReport considered by Board – Feb 2013",
                "Head of Service – Safeguarding & Quality Assurance\nJuly 2013",
                "",
            ),
            (
                "4.8",
                "Board will review the changes to remand system through the introduction of the Legal Aid Sentencing "
                "and Punishment of Offenders Act 2012",
                "Board will consider the potential implications for safeguarding children who are within youth "
                "justice system in Bromley.",
                "",
                "AD – Children's Social Care\nFebruary 2013",
                "",
            ),
            (
                "4.9",
                "Strengthening Families approach to Child protection pilot is evaluated and rolled out more widely if "
                "deemed effective",
                "Children, young people and their families report having a greater sense of ownership of child "
                "protection plans, leading to improved understanding of how they can effect changes, reduced time on "
                "a plan and fewer repeat plans.",
                "Strengthening Families Conferences fully implemented – April 2013\n"
                "Independent evaluation commissioned – Sept 2013\n"
                "Evaluation report to be considered by Board and lessons learnt implemented into practice – Nov 2013",
                "HOS – Safeguarding & Quality Assurance\nNov 2013",
                "",
            ),
            (
                "4.10",
                "Full implementation and roll out of MASH",
                "A fuller range of partners will be involved in early intervention work which will be better informed "
                "by shared information.",
                "MASH team established with full range of partners involved – Jul 2013\n"
                "Six monthly update reports on MASH implementation to Board – Jun 2013 / Nov 2013",
                "HOS – Referral, Assessment & Early Intervention\nJuly 2013",
                "Full time HV post established\nBHC looking at improving IT to improve joint working",
            ),
            (
                "4.11",
                "Review multi-agency protocol on children missing from home and care",
                "There will be an effective collaborative safeguarding response from all agencies involved when a "
                "child goes missing.",
                "Multi-agency working group on missing children set up – Mar 2013\n"
                "Protocol update and agreed – May 2013\nDissemination and promotion of Protocol – June 2013",
                "Business Manager\nJune 2013",
                "",
            ),
            (
                "4.12",
                "Implementation of Tackling Troubled Families programme",
                "Targeted resources across a range of services will be focused on the most vulnerable families in "
                "Bromley and improved outcomes will be measured across a range of indicators.",
                "Tackling Troubled Families Annual Evaluation to be considered by Board",
                "TTF Co-ordinator\nJuly 2013",
                "",
            ),
        ],
    ),
    (
        "Area 5: Listen to children and young people and their families",
        "Some groups of children & young people are particularly at risk of harm or abuse such as those with a "
        "disability, those living with domestic violence. Their lives are directly affected by the decisions of the "
        "Board and actions taken by multi agency staff. The voice of young people should inform policy, procedure, "
        "strategy and service improvements.",
        [
            (
                "5.1",
                "Mapping of partner processes which obtain children's views on child protection services they "
                "receive and th[...] them.",
                "Board determines relevant sources of information to ascertain the views of children and young "
                "people from the across the multi agency network on the safeguarding and child protection services "
                "they receive.",
                "Map how views of young people are collated in Bromley – April 2013",
                "Business Manager\nPerformance & Improvement Officer\nApril 2013",
                "",
            ),
            (
                "5.2",
                "Develop report on experiences of children and young people and parents who come in contact with "
                "child protection/ safeguarding services and action plan for future engagement",
                "Children and young people and parents experiences of safeguarding and child protection services as "
                "relates to specific issues influence BSCB decision making, policy and procedure.",
                "Collate views and experiences of children and young people – Apr 2013\n"
                "Draft report and develop action plan for future engagement – May 2013\n"
                "Board to consider report and action plan – Jun 2013",
                "Business Manager\nSept 2013",
                "",
            ),
            (
                "5.3",
                "Single Agency rep[...] children and young people and parents in relation to their safeguarding "
                "servi[ces]",
                "Views of children and young people and parents from the across the multi agency network will be "
                "heard by Board members",
                "Schedule Agency reports to go to QA&PM / Board – Mar 2013\nAgency reports considered by BSCB",
                "All\nJuly 2013",
                "",
            ),
            (
                "5.4",
                "Multi agency worki[ng group to] develop a framework for young people to participa[te in child] "
                "protection conferences",
                "Young people will have the opportunity to contribute to decision making and see how decisions are "
                "made to increase their understanding of safeguarding concerns. Professionals' will be able to "
                "understand the situation from the young person's perspective",
                "Multi-agency Working Group set up – Nov 2012\nResearch views of young people – Jan 2013\n"
                "Policy and information leaflets approved – Feb 2013\nReport to Board – Feb 2013",
                "GM – Quality Assurance, CSC\nFebruary 2013",
                "",
            ),
            (
                "5.5",
                "Develop links with Youth Council, Living in Care Council and other young people forums for "
                "engagement around safeguarding and set up mechanisms for young people to feed back views to Board",
                "",
                "Identify key young people forums in Bromley – Mar 2013\n"
                "Work with forums to identify ways they could work with BSCB – Sep 2013",
                "Business Manager\nSeptember 2013",
                "",
            ),
        ],
    ),
]


def rows() -> list[list[str]]:
    out: list[list[str]] = [[TITLE], [], HEADER]
    for heading, description, actions in AREAS:
        out.append([heading])
        out.append([description])
        out += [list(a) for a in actions]
    return out
