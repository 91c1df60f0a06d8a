// Real rows of the demo CRM (`rapport start`, Enron sample): the contact Ampaez, its last 12 weeks and connections.
export const INSIGHT_ROW: Record<string, unknown> = {
  rp_relationshipinsightid: "cba63e66-50d0-4c20-858b-b681f611af91",
  rp_name: "Ampaez",
  rp_recordtype: 100000000,
  rp_recordid: "80e8cb4e-4fcc-52e6-a1fc-afe3a7c7f674",
  rp_healthscore: 99,
  rp_healthstatus: 100000000,
  rp_healthtrend: 100000001,
  rp_reasons:
    '[{"code":"recentContact","params":{"days":0,"cadenceDays":7},"text":"Last contact 0 days ago, within the expected cadence of 7 days.","effect":2},{"code":"deepHistory","params":{"weeks":9.9},"text":"In touch in many recent weeks (depth 9.9 weeks).","effect":1},{"code":"balanced","params":{"sent":24,"received":13},"text":"Two-way: 24 from us, 13 from them in 6 months.","effect":0.5}]',
  rp_summary: "In the last 12 months we sent 24 emails to Ampaez and received 24.",
  rp_singlethreaded: false,
  rp_emailssent: 24,
  rp_emailsreceived: 24,
  rp_meetingssent: 0,
  rp_meetingsreceived: 0,
  rp_phonecallsmade: 0,
  rp_phonecallsreceived: 0,
  rp_timespentbyteam: 188,
  rp_timespentbycustomer: 180,
  rp_repliesbyus: 4,
  rp_repliesbythem: 0,
  rp_averagefirstresponsetimebyusinhrs: 1,
  rp_averagefirstresponsetimebytheminhrs: null,
  rp_responseratebyus: 0.222,
  rp_responseratebythem: 0,
  rp_lastactivityon: "2001-12-31T16:41:43Z",
  rp_lastactivitytype: 100000000,
  rp_lastactivitydirection: 100000000,
  rp_nextactivityon: null,
  rp_nextactivitytype: null,
  rp_nextactivitydirection: null,
  rp_interactioncount: 48,
  rp_mostcontacted:
    '{"mostContacted":{"ours":[{"address":"john.griffith@enron.com","count":24},{"address":"brookover.timothy@enron.com","count":1},{"address":"linda.goetz@enron.com","count":1}],"theirs":[{"address":"ampaez@earthlink.net","count":24}]},"mostContactedBy":{"ours":[{"address":"john.griffith@enron.com","count":24}],"theirs":[{"address":"ampaez@earthlink.net","count":19},{"address":"edwinfitts@hotmail.com","count":2},{"address":"efitts@webtv.net","count":2}]}}',
  rp_timeline:
    '{"weeks":[{"weekStart":"2001-07-09","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-07-16","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-07-23","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-07-30","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-08-06","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-08-13","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-08-20","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-08-27","sent":0,"received":1,"meetings":0,"calls":0},{"weekStart":"2001-09-03","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-09-10","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-09-17","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-09-24","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-10-01","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-10-08","sent":0,"received":1,"meetings":0,"calls":0},{"weekStart":"2001-10-15","sent":4,"received":1,"meetings":0,"calls":0},{"weekStart":"2001-10-22","sent":4,"received":1,"meetings":0,"calls":0},{"weekStart":"2001-10-29","sent":3,"received":1,"meetings":0,"calls":0},{"weekStart":"2001-11-05","sent":0,"received":1,"meetings":0,"calls":0},{"weekStart":"2001-11-12","sent":2,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-11-19","sent":4,"received":1,"meetings":0,"calls":0},{"weekStart":"2001-11-26","sent":5,"received":5,"meetings":0,"calls":0},{"weekStart":"2001-12-03","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-12-10","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-12-17","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-12-24","sent":0,"received":0,"meetings":0,"calls":0},{"weekStart":"2001-12-31","sent":2,"received":1,"meetings":0,"calls":0}],"days":[{"date":"2001-11-03","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-04","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-05","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-06","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-07","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-08","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-09","emailsSent":0,"emailsReceived":1,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-10","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-11","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-12","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-13","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-14","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-15","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-16","emailsSent":1,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-17","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-18","emailsSent":1,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-19","emailsSent":1,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-20","emailsSent":1,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-21","emailsSent":2,"emailsReceived":1,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-22","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-23","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-24","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-25","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-26","emailsSent":4,"emailsReceived":4,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-27","emailsSent":1,"emailsReceived":1,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-28","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-29","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-11-30","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-01","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-02","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-03","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-04","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-05","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-06","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-07","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-08","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-09","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-10","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-11","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-12","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-13","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-14","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-15","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-16","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-17","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-18","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-19","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-20","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-21","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-22","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-23","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-24","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-25","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-26","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-27","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-28","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-29","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-30","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2001-12-31","emailsSent":2,"emailsReceived":1,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0},{"date":"2002-01-01","emailsSent":0,"emailsReceived":0,"meetingsSent":0,"meetingsReceived":0,"callsMade":0,"callsReceived":0}]}',
  rp_activityhistory:
    '[{"at":"2001-12-31T16:41:43.000Z","kind":"email","direction":"out","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-12-31T16:15:21.000Z","kind":"email","direction":"out","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-12-31T15:10:48.000Z","kind":"email","direction":"in","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-27T18:02:05.000Z","kind":"email","direction":"out","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-27T17:57:07.000Z","kind":"email","direction":"in","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-26T23:19:49.000Z","kind":"email","direction":"out","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-26T23:11:51.000Z","kind":"email","direction":"out","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-26T23:06:02.000Z","kind":"email","direction":"out","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-26T22:12:55.000Z","kind":"email","direction":"in","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-26T22:06:25.000Z","kind":"email","direction":"in","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-26T21:55:33.000Z","kind":"email","direction":"in","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-26T13:58:36.000Z","kind":"email","direction":"in","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-26T13:20:54.000Z","kind":"email","direction":"out","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-21T16:18:01.000Z","kind":"email","direction":"out","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-21T16:02:57.000Z","kind":"email","direction":"out","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-21T15:08:30.000Z","kind":"email","direction":"in","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-20T17:32:38.000Z","kind":"email","direction":"out","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-19T18:11:40.000Z","kind":"email","direction":"out","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-18T21:14:36.000Z","kind":"email","direction":"out","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]},{"at":"2001-11-16T19:33:37.000Z","kind":"email","direction":"out","ours":["john.griffith@enron.com"],"theirs":["ampaez@earthlink.net"]}]',
  rp_introducers:
    '[{"colleague":"john.griffith@enron.com","name":"John Griffith","userId":"9ec9287d-32e1-5db1-b37f-44beca05e9a7","strength":84.2,"band":"strong","knows":["ampaez@earthlink.net"],"evidence":{"counts":{"email":{"out":24,"in":19},"meeting":{"out":0,"in":0},"call":{"out":0,"in":0},"task":{"out":0,"in":0}},"first":{"at":"2001-01-08T11:47:00.000Z","kind":"email","direction":"in"},"last":{"at":"2001-12-31T16:41:43.000Z","kind":"email","direction":"out"},"daysInTouch":21}}]',
  rp_lastcomputedon: "2002-01-01T00:00:00Z",
};
export const HISTORY_ROWS: Record<string, unknown>[] = [
  {
    rp_weekstart: "2001-10-15",
    rp_healthscore: 94,
  },
  {
    rp_weekstart: "2001-10-22",
    rp_healthscore: 99,
  },
  {
    rp_weekstart: "2001-10-29",
    rp_healthscore: 89,
  },
  {
    rp_weekstart: "2001-11-05",
    rp_healthscore: 95,
  },
  {
    rp_weekstart: "2001-11-12",
    rp_healthscore: 99,
  },
  {
    rp_weekstart: "2001-11-19",
    rp_healthscore: 94,
  },
  {
    rp_weekstart: "2001-11-26",
    rp_healthscore: 93,
  },
  {
    rp_weekstart: "2001-12-03",
    rp_healthscore: 85,
  },
  {
    rp_weekstart: "2001-12-10",
    rp_healthscore: 79,
  },
  {
    rp_weekstart: "2001-12-17",
    rp_healthscore: 73,
  },
  {
    rp_weekstart: "2001-12-24",
    rp_healthscore: 67,
  },
  {
    rp_weekstart: "2001-12-31",
    rp_healthscore: 99,
  },
];
export const CONNECTION_ROWS: Record<string, unknown>[] = [
  {
    rp_name: "John Griffith – Ampaez",
    _rp_introducerid_value: "9ec9287d-32e1-5db1-b37f-44beca05e9a7",
    rp_introduceremail: "john.griffith@enron.com",
    rp_target: "ampaez@earthlink.net",
    rp_strength: 84,
    rp_band: 100000000,
    rp_emailssent: 24,
    rp_emailsreceived: 19,
    rp_meetingssent: 0,
    rp_meetingsreceived: 0,
    rp_phonecallsmade: 0,
    rp_phonecallsreceived: 0,
    rp_daysintouch: 21,
    rp_firstinteractionon: "2001-01-08T11:47:00Z",
    rp_lastinteractionon: "2001-12-31T16:41:43Z",
    rp_lastinteractiontype: 100000000,
    rp_lastinteractiondirection: 100000000,
  },
  {
    rp_name: "brookover.timothy@enron.com – Ampaez",
    _rp_introducerid_value: null,
    rp_introduceremail: "brookover.timothy@enron.com",
    rp_target: "ampaez@earthlink.net",
    rp_strength: 2,
    rp_band: 100000002,
    rp_emailssent: 0,
    rp_emailsreceived: 1,
    rp_meetingssent: 0,
    rp_meetingsreceived: 0,
    rp_phonecallsmade: 0,
    rp_phonecallsreceived: 0,
    rp_daysintouch: 1,
    rp_firstinteractionon: "2001-08-29T14:13:20Z",
    rp_lastinteractionon: "2001-08-29T14:13:20Z",
    rp_lastinteractiontype: 100000000,
    rp_lastinteractiondirection: 100000001,
  },
  {
    rp_name: "linda.goetz@enron.com – Ampaez",
    _rp_introducerid_value: null,
    rp_introduceremail: "linda.goetz@enron.com",
    rp_target: "ampaez@earthlink.net",
    rp_strength: 2,
    rp_band: 100000002,
    rp_emailssent: 0,
    rp_emailsreceived: 1,
    rp_meetingssent: 0,
    rp_meetingsreceived: 0,
    rp_phonecallsmade: 0,
    rp_phonecallsreceived: 0,
    rp_daysintouch: 1,
    rp_firstinteractionon: "2001-08-29T14:13:20Z",
    rp_lastinteractionon: "2001-08-29T14:13:20Z",
    rp_lastinteractiontype: 100000000,
    rp_lastinteractiondirection: 100000001,
  },
  {
    rp_name: "powell.lisa@enron.com – Ampaez",
    _rp_introducerid_value: null,
    rp_introduceremail: "powell.lisa@enron.com",
    rp_target: "ampaez@earthlink.net",
    rp_strength: 2,
    rp_band: 100000002,
    rp_emailssent: 0,
    rp_emailsreceived: 1,
    rp_meetingssent: 0,
    rp_meetingsreceived: 0,
    rp_phonecallsmade: 0,
    rp_phonecallsreceived: 0,
    rp_daysintouch: 1,
    rp_firstinteractionon: "2001-08-29T14:13:20Z",
    rp_lastinteractionon: "2001-08-29T14:13:20Z",
    rp_lastinteractiontype: 100000000,
    rp_lastinteractiondirection: 100000001,
  },
];
export const CONTACT_ROW: Record<string, unknown> = {
  contactid: "80e8cb4e-4fcc-52e6-a1fc-afe3a7c7f674",
  fullname: "Ampaez",
};

/**
 * Open opportunities for the relationship pipeline, richer than the demo's five: every status (graded,
 * pending, no insight), close dates before, on and after PIPELINE_TODAY and none, revenue from none to
 * large, two deals on one day. Statuses and trends are option values (CHOICE_BASE + index).
 */
export const PIPELINE_TODAY = "2001-10-01";
export interface PipelineFixture {
  id: string;
  name: string;
  estimatedclosedate: string | null;
  estimatedvalue: number | null;
  rp_healthscore: number | null;
  rp_healthstatus: number | null;
  rp_healthtrend: number | null;
  rp_reasons: string | null;
  /** When the insight was computed (ISO); absent: the view does not show it. */
  rp_lastcomputedon?: string | null;
}
const reason = (text: string) => JSON.stringify([{ code: "x", params: {}, text, effect: 1 }]);
export const PIPELINE_ROWS: PipelineFixture[] = [
  ["Pipeline supply 2002", "2001-12-15", 250000, 82, 100000000, 100000000, "Weekly two-way contact."],
  ["Gas storage expansion", "2001-11-02", 40000, 55, 100000001, 100000001, "Replies slowed down."],
  ["Trading desk software", "2002-02-20", 1000000, 23, 100000002, 100000002, "No reply in 40 days."],
  ["Retail power pilot", "2001-10-01", 10000, 64, 100000000, 100000001, "Met last week."],
  ["Weather derivatives", "2001-11-02", 40000, 71, 100000000, 100000000, "Deep history."],
  ["LNG terminal study", "2002-01-10", 120000, null, 100000003, 100000003, null],
  ["Broadband capacity", "2001-12-01", 5000, null, null, null, null],
  ["Old coal contract", "2001-08-30", 60000, 35, 100000002, 100000002, "Single-threaded."],
  ["Expired water deal", "2001-09-30", 75000, 44, 100000001, 100000001, "Cadence slipping."],
  ["Undated hedge", null, 90000, 61, 100000000, 100000001, "Balanced exchange."],
  ["Unpriced metals deal", "2002-03-05", null, 48, 100000001, 100000002, "Fewer meetings."],
].map(([name, close, value, score, status, trend, why], i) => ({
  id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
  name: name as string,
  estimatedclosedate: close as string | null,
  estimatedvalue: value as number | null,
  rp_healthscore: score as number | null,
  rp_healthstatus: status as number | null,
  rp_healthtrend: trend as number | null,
  rp_reasons: why === null ? null : reason(why as string),
}));
