"""Sentences the seeded records are written from. Illustrative wording in the register of
published joint inspection reports; no real partnership, person or report is quoted."""

STRENGTH = [
    "Staff across the partnership knew the adults they supported well and spoke about them "
    "with warmth, respect and a clear understanding of their circumstances.",
    "Initial inquiries were carried out promptly in almost all of the records we read, and "
    "the reasons for decisions at each stage were recorded clearly.",
    "Chronologies were up to date in most records and helped practitioners to identify "
    "patterns of harm and to share a common understanding of risk.",
    "Collaborative working between social work, health and police colleagues was a clear "
    "strength, supported by well-attended inter-agency referral discussions.",
    "Leaders had a shared vision for adult support and protection that was understood by "
    "staff and reflected in the partnership's improvement priorities.",
    "The adult protection committee provided strong strategic leadership, and its sub-groups "
    "took forward a well-focused programme of quality assurance work.",
    "Adults at risk of harm were involved in decisions about their lives, and their views were "
    "recorded and taken into account in protection planning.",
    "Independent advocacy was offered routinely, and adults told us it helped them to have "
    "their say at case conferences and reviews.",
    "Unpaid carers were recognised as equal partners in care, and most had been offered an "
    "adult carer support plan.",
    "The partnership made effective use of its performance information to understand demand "
    "and to target improvement activity where it was most needed.",
    "Staff were well supported by their managers, had access to regular supervision and "
    "reported high levels of confidence in their practice.",
    "Health colleagues contributed consistently to inquiries and investigations, and health "
    "records showed good communication with social work.",
    "Police officers made appropriate and timely referrals, and concern reports included "
    "the information practitioners needed to act.",
    "Case conferences were convened within agreed timescales, and protection plans were "
    "detailed, specific and regularly reviewed.",
    "The partnership had developed a range of preventative supports that helped people to "
    "stay safe and well in their own communities.",
    "Multi-agency training was well regarded by staff, and the learning from it was evident "
    "in the quality of the records we read.",
    "The quality of assessments of risk was good or better in the majority of records, with "
    "clear analysis of the impact of harm on the adult.",
    "Senior leaders were visible and accessible, and staff told us they felt listened to and "
    "valued for their contribution.",
]
IMPROVEMENT = [
    "Chronologies were not consistently completed, and where they were, they did not always "
    "analyse the significance of events for the adult.",
    "Risk assessments were not always reviewed when an adult's circumstances changed, which "
    "left some adults without an up-to-date assessment of the risks they faced.",
    "The recording of decisions made at the duty to inquire stage was variable, and the "
    "rationale for no further action was not always clear.",
    "Health staff were not always invited to, or able to attend, inter-agency referral "
    "discussions, which limited the information available to decision makers.",
    "Protection plans did not always set out who was responsible for each action, and "
    "timescales were sometimes vague.",
    "The partnership's self-evaluation activity had not yet been extended to include the "
    "views of adults at risk of harm and their unpaid carers.",
    "Waiting times for some community health services were long, and some adults waited too "
    "long for assessments that would inform their protection plans.",
    "Some staff were unclear about the thresholds for adult support and protection, and "
    "referrals were sometimes made without consent being considered.",
    "Large-scale investigations were well managed, but the learning from them was not always "
    "shared across the partnership.",
    "Quality assurance of practice was at an early stage, and audit findings had not yet "
    "been used consistently to drive improvement.",
    "Management oversight was evident in only around half of the records we read, and was "
    "often limited to a signature without comment.",
    "The availability of independent advocacy varied across localities, and some adults were "
    "not offered it at key points.",
    "Transitions between children's and adult services were not always well planned for "
    "young people at risk of harm.",
    "Information sharing between agencies relied on individual relationships rather than "
    "agreed processes, which created a risk of inconsistency.",
    "Staffing pressures in some teams had led to delays in allocating work, and some cases "
    "waited several weeks before an inquiry began.",
]
RECOMMENDATION = [
    "The partnership should ensure that every adult at risk of harm has an up-to-date "
    "chronology that is used to inform the assessment of risk.",
    "The partnership should ensure that risk assessments are reviewed whenever an adult's "
    "circumstances change, and at least every three months.",
    "The partnership should strengthen the involvement of health colleagues in inter-agency "
    "referral discussions and case conferences.",
    "The partnership should develop its approach to quality assurance so that the findings "
    "of audits lead to measurable improvements in practice.",
    "The partnership should make sure that protection plans are specific, measurable and "
    "shared with everyone involved, including the adult.",
    "The partnership should ensure that managers' oversight of practice is recorded and "
    "that it adds value to decision making.",
    "The partnership should make independent advocacy available to every adult at risk of "
    "harm at each key stage of the process.",
    "The partnership should review its thresholds for adult support and protection and make "
    "sure they are understood by staff across all agencies.",
]
GOOD_PRACTICE = [
    "A locality-based multi-agency triage meeting met daily to consider new concerns, which "
    "reduced delays and made sure the right agency responded.",
    "The partnership had co-produced its public information with people with lived "
    "experience, which made it accessible and easy to understand.",
    "A practitioner forum brought together staff from all agencies every quarter to share "
    "learning from case reviews and audits.",
    "A dedicated financial harm team worked closely with banks and trading standards to "
    "prevent and respond to financial exploitation.",
    "Peer support for unpaid carers was provided by a local carers' centre, and carers "
    "described it as a lifeline.",
    "The partnership used a shared digital platform that allowed agencies to see the same "
    "protection plan and to update it in real time.",
]
EVALUATION = [
    "The team found clear evidence of effective practice across most of the records read, "
    "supported by the staff survey and focus groups.",
    "Key processes were carried out well in the majority of cases, although some "
    "inconsistencies remained across localities.",
    "Leaders had a clear understanding of their strengths and areas for improvement, and "
    "their self-evaluation was largely borne out by our evidence.",
    "Outcomes for adults were improving, and most adults we heard from felt safer as a result "
    "of the support they received.",
    "There were important weaknesses in the recording of risk, which limited the assurance "
    "we could take from otherwise positive practice.",
    "Strengths clearly outweighed areas for improvement, and the partnership was well placed "
    "to build on them.",
    "The position statement and supporting documents gave a candid account of the "
    "partnership's performance.",
    "Evidence from the record reading was consistent with what staff told us in focus groups "
    "and professional discussions.",
]
PANEL_REASONS = [
    "The panel considered that the weaknesses in risk assessment outweighed the strengths "
    "the team described.",
    "The panel considered the evidence of improved outcomes strong enough to support a "
    "higher grade.",
    "Comparison with other inspections in the programme showed the team's grade to be out of "
    "line with the evidence.",
]
SUMMARY = [
    "This report sets out what we found when we inspected the partnership, the evaluation of "
    "each quality indicator and the areas where the partnership needs to improve.",
    "We read the records of adults at risk of harm, surveyed staff, met leaders and "
    "practitioners, and heard from adults and their unpaid carers.",
]
READER_NOTES = [
    "Chronology present but not analysed.",
    "Good evidence of the adult's views.",
    "Plan not reviewed after change of address.",
    "Clear management oversight.",
    "Advocacy offered and declined.",
    "Health information not on the record.",
    "Timely inquiry; thorough assessment.",
    "Carer's views recorded.",
    "Case closed without a recorded rationale.",
    "",
]
FA_COMMENTS = [
    (
        "The figure for inquiries completed within timescale should include those completed "
        "by the out-of-hours team.",
        "The figure now includes out-of-hours inquiries.",
    ),
    (
        "The report says advocacy is not available in the north locality; a service began in "
        "the spring.",
        "The sentence now says the service began recently.",
    ),
    (
        "The number of staff who responded to the survey is given as 212; it was 221.",
        "Corrected to 221.",
    ),
    ("The name of the adult protection committee's sub-group is out of date.", "Updated."),
]
ACTIONS = [
    "Introduce a chronology template and audit a sample of records each quarter.",
    "Review every risk assessment when circumstances change, prompted by the case system.",
    "Agree a protocol for health attendance at inter-agency referral discussions.",
    "Extend the quality assurance framework to include adults' and carers' views.",
    "Deliver multi-agency training on thresholds to all front-line staff.",
    "Commission independent advocacy across all localities.",
    "Record management oversight at each key decision point.",
    "Report progress on the plan to the chief officers' group every quarter.",
]
OWNERS = [
    ("Head of adult social work", "the council"),
    ("Adult protection lead officer", "the adult protection committee"),
    ("Associate nurse director", "the health board"),
    ("Detective chief inspector, public protection", "Police Scotland"),
    ("Chief social work officer", "the council"),
    ("Service manager, community care", "the health and social care partnership"),
]
PROGRESS = [
    "The template is in use in two of the three localities; the third begins next month.",
    "An audit of 40 records found improvement in 28; the findings went to the committee.",
    "The protocol was agreed by the chief officers' group and is being rolled out.",
    "Training was delivered to 160 staff; evaluation forms were positive.",
    "Delays in recruitment have held this action back; a revised date has been proposed.",
    "The action is complete and its impact will be checked at the next audit.",
]
MEETING_AGENDA = [
    "Joint inspection programme",
    "No-surprises notices",
    "Shared risks",
    "Workforce and capacity",
    "Horizon scanning",
    "Published reports",
    "Corporate plans",
    "Data sharing",
]
NOTICE_SUBJECTS = [
    "Publication of a joint inspection report",
    "National overview of adult support and protection",
    "Change to the inspection methodology",
    "Media interest in a care home closure",
    "Evidence to a parliamentary committee",
    "Commitment to a joint data platform",
    "Revised corporate plan",
    "Consultation on new quality indicators",
]
ESCALATION_SUBJECTS = [
    "Lead agency for a themed inspection",
    "Timing of a joint report's publication",
    "Sharing of intelligence before fieldwork",
    "Resourcing of the joint programme",
]
RISKS = [
    "Inspection capacity for the joint programme",
    "Delays in data sharing agreements",
    "Loss of experienced inspectors",
    "Changes to national policy during an inspection year",
]
ENGAGEMENT_NOTES = [
    "Met the chief social work officer to discuss the service's self-evaluation.",
    "Attended the adult protection committee as an observer.",
    "Reviewed the partnership's performance report for the quarter.",
    "Visited a locality team and met front-line staff.",
    "Discussed winter pressures and their effect on care at home.",
    "Reviewed the complaints and registration data for the area.",
]
LINK_RISKS = [
    (
        "Delays in care at home assessments",
        "Adults may wait too long for support and be admitted to hospital.",
    ),
    (
        "Vacancies in the mental health officer team",
        "Adults may be detained without timely assessment.",
    ),
    ("Increase in adult protection referrals", "Inquiries may not start within timescales."),
    ("Pressure on children's residential care", "Children may be placed far from home."),
]
GOOD_PRACTICE_TITLES = [
    ("Locality multi-agency triage", "adults", "adult support and protection"),
    ("Carers' peer support network", "adults", "unpaid carers"),
    ("Trauma-informed justice practice", "justice", "trauma-informed practice"),
    ("Transitions planning for young people", "children", "transitions"),
    ("Self-directed support in rural areas", "across", "self-directed support"),
]
MSG_COMMENTS = [
    "Progress has been made through the integration scheme review.",
    "A joint workforce plan is in draft.",
    "Budget setting is now aligned across partners.",
    "Local engagement plans are in place in each locality.",
]
