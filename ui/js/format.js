// Display formats shared by views: tiers, special dates, timestamps.
import { h } from './dom.js';
import { t, tList, language } from './i18n.js';

export const TIERS = ['vip', 'major', 'regular', 'small'];
export const SOURCES = ['walk_in', 'phone', 'referral', 'online', 'other'];
export const PREFERENCE_KINDS = ['food', 'seating', 'allergy', 'contact_time', 'language', 'other'];

export function tierBadge(tier) {
  return h('span', { class: `badge tier-${tier}` }, t(`tier.${tier}`));
}

/** A special date as people say it: 农历八月十五 (1980) / May 20 (2015). */
export function specialDate(d) {
  let s;
  if (d.calendar === 'lunar') {
    s = t('date.lunar', {
      leap: d.leap_month ? t('date.leap') : '',
      m: tList('lunar.months', d.month - 1),
      d: tList('lunar.days', d.day - 1),
    });
  } else {
    s = t('date.gregorian', { m: tList('gregorian.months', d.month - 1), d: d.day });
  }
  return d.year ? `${s} (${d.year})` : s;
}

export function dateTime(iso) {
  if (!iso) return '';
  const dt = new Date(iso);
  return dt.toLocaleString(language(), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function dayOnly(isoDate) {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(language(), { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });
}
