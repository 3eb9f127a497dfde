// Schedules in words: the connection's schedule, and a Quartz cron expression previewed as it is typed.

export function describeSchedule(s) {
  if (!s || s === 'manual') return 'manual';
  if (s.every) return 'every ' + s.every;
  if (s.cron) return cronText(s.cron).replace(/ \(server time.*$/, '') + ' (' + (s.timezone || 'server time') + ')';
  return JSON.stringify(s);
}

const pad = n => String(n).padStart(2, '0');
const DAYS = { '1': 'Sunday', '2': 'Monday', '3': 'Tuesday', '4': 'Wednesday', '5': 'Thursday', '6': 'Friday', '7': 'Saturday',
  SUN: 'Sunday', MON: 'Monday', TUE: 'Tuesday', WED: 'Wednesday', THU: 'Thursday', FRI: 'Friday', SAT: 'Saturday' };

/** Quartz cron (seconds minutes hours day-of-month month day-of-week [year]) in words, for the common shapes. */
export function cronText(expression) {
  const f = String(expression || '').trim().split(/\s+/);
  if (f.length < 6 || f.length > 7) return 'Not a Quartz cron expression: it needs 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]), e.g. "0 0 2 * * ?".';
  const [sec, min, hour, dom, mon, dow] = f;
  const fixed = x => /^\d+$/.test(x);
  const step = x => { const m = /^(\d+|\*)\/(\d+)$/.exec(x); return m ? Number(m[2]) : null; };
  let time;
  if (fixed(sec) && fixed(min) && fixed(hour)) time = 'at ' + pad(hour) + ':' + pad(min) + (sec !== '0' ? ':' + pad(sec) : '');
  else if (fixed(sec) && step(min) && hour === '*') time = 'every ' + step(min) + ' minutes';
  else if (fixed(sec) && fixed(min) && step(hour)) time = 'every ' + step(hour) + ' hours at minute ' + min;
  else if (fixed(sec) && fixed(min) && hour === '*') time = 'every hour at minute ' + min;
  else if (step(sec) && min === '*') time = 'every ' + step(sec) + ' seconds';
  else if (fixed(sec) && min === '*' && hour === '*') time = 'every minute';
  else time = `at second ${sec}, minute ${min}, hour ${hour}`;
  let days;
  if ((dom === '*' || dom === '?') && (dow === '*' || dow === '?')) days = 'every day';
  else if (dom === '?' && dow.split(',').every(d => DAYS[d.toUpperCase()])) days = 'on ' + dow.split(',').map(d => DAYS[d.toUpperCase()]).join(', ');
  else if (dom === '?' && /^(MON-FRI|2-6)$/i.test(dow)) days = 'on weekdays';
  else if (fixed(dom) && (dow === '?' || dow === '*')) days = 'on day ' + dom + ' of the month';
  else days = `on day-of-month ${dom}, day-of-week ${dow}`;
  const months = mon === '*' ? '' : ' in month ' + mon;
  const text = (time.startsWith('every') && days === 'every day' ? time : days + ', ' + time) + months;
  return text.charAt(0).toUpperCase() + text.slice(1) + ' (server time unless a time zone is set).';
}
