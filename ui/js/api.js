// The only module that talks to Rust: every command the window uses, by name.
// Whether the shared database answers is told to the window (`shared-database` events:
// `offline` when a call could not reach it, `online` again at the next call that did).
let offline = false;
const invoke = async (cmd, args) => {
  try {
    const out = await window.__TAURI__.core.invoke(cmd, args);
    if (offline) tell(false);
    return out;
  } catch (err) {
    if (err && err.kind === 'offline' && !offline) tell(true);
    throw err;
  }
};
function tell(now) {
  offline = now;
  document.dispatchEvent(new CustomEvent('shared-database', { detail: now ? 'offline' : 'online' }));
}

export const api = {
  status: () => invoke('app_status'),
  setLanguage: (language) => invoke('set_language', { language }),
  listCustomers: (query) => invoke('customer_list', { query }),
  customerTags: () => invoke('customer_tags'),
  getCustomer: (id) => invoke('customer_get', { id }),
  createCustomer: (input) => invoke('customer_create', { input }),
  updateCustomer: (id, input, seen = null) => invoke('customer_update', { id, input, seen }),
  archiveCustomer: (id) => invoke('customer_archive', { id }),
  restoreCustomer: (id) => invoke('customer_restore', { id }),
  anonymiseCustomer: (id) => invoke('customer_anonymise', { id }),
  seedDemo: () => invoke('demo_seed'),
};

Object.assign(api, {
  staffList: () => invoke('staff_list'),
  /** The staff list for a filter or a picker: empty when it cannot be read, so the form still opens. */
  staffOrNone: () => api.staffList().catch(() => []),
  staffSave: (staff) => invoke('staff_save', { staff }),
  deskStaff: () => invoke('desk_staff'),
  setDeskStaff: (staff) => invoke('desk_staff_set', { staff }),
  auditLog: (query) => invoke('audit_log', { query }),
  churnMark: (id, input) => invoke('churn_mark', { id, input }),
  churnWinBack: (id, input) => invoke('churn_win_back', { id, input }),
  churnRegister: (query) => invoke('churn_register', { query }),
  reviewDashboard: (query) => invoke('review_dashboard', { query }),
  reviewDrill: (drill) => invoke('review_drill', { drill }),
  reviewExport: (query, path, language) => invoke('review_export', { query, path, language }),
  churnReasons: () => invoke('churn_reasons'),
  churnReasonSave: (reason) => invoke('churn_reason_save', { reason }),
  revertAudit: (id) => invoke('audit_revert', { id }),
  settingsDefaults: () => invoke('settings_defaults'),
  /** Back up now: into `folder` when given (picked for this one backup), else the backup folder. */
  backupNow: (folder) => invoke('backup_now', { folder }),
  backupSettings: () => invoke('backup_settings'),
  backupSettingsSave: (settings) => invoke('backup_settings_save', { settings }),
  // The shared database's "Test connection" (nothing is saved).
  serverCheck: (settings) => invoke('server_check', { settings }),
  serverCurrent: () => invoke('server_current'),
  serverMove: (settings) => invoke('server_move', { settings }),
  serverJoin: (settings) => invoke('server_join', { settings }),
  serverLeave: () => invoke('server_leave'),
  /** The system's folder dialog: the chosen folder's path, or null when closed. */
  pickFolder: (title, defaultPath) => invoke('plugin:dialog|open', { options: { directory: true, title, defaultPath } }),
  /** The system's file dialog for a backup to restore: its path, or null when closed. */
  pickBackupFile: (title) => invoke('plugin:dialog|open', { options: { title, filters: [
    { name: 'FrontDesk', extensions: ['db'] }, { name: '*', extensions: ['*'] }] } }),
  /** The system's file dialog for a sheet of customers to import: its path, or null when closed. */
  pickImportFile: (title) => invoke('plugin:dialog|open', { options: { title, filters: [
    { name: 'CSV / Excel', extensions: ['csv', 'txt', 'xlsx', 'xls'] }, { name: '*', extensions: ['*'] }] } }),
  importPreview: (request) => invoke('import_preview', { request }),
  /** The system's save dialog for an export: the chosen path, or null when closed. */
  pickSaveFile: (title, defaultPath) => invoke('plugin:dialog|save', { options: { title, defaultPath, filters: [
    { name: 'Excel', extensions: ['xlsx'] }, { name: 'CSV', extensions: ['csv'] }] } }),
  exportData: (request) => invoke('export_data', { request }),
  importErrorsSave: (request, language) => invoke('import_errors_save', { request, language }),
  importRun: (request) => invoke('import_run', { request }),
  importProgress: () => invoke('import_progress'),
  /** The import dialog closed: Rust lets go of the file's rows. */
  importForget: () => invoke('import_forget'),
  importLast: () => invoke('import_last'),
  importUndo: (id) => invoke('import_undo', { id }),
  backupList: () => invoke('backup_list'),
  backupHealth: () => invoke('backup_health'),
  inspectBackup: (path) => invoke('backup_inspect', { path }),
  restoreBackup: (path) => invoke('backup_restore', { path }),
  recoveryBackups: () => invoke('recovery_backups'),
  recoveryRestore: (path) => invoke('recovery_restore', { path }),
  planVisit: (input) => invoke('visit_plan', { input }),
  recordOutcome: (id, outcome) => invoke('visit_outcome', { id, outcome }),
  rescheduleVisit: (id, retry) => invoke('visit_reschedule', { id, retry }),
  cancelVisit: (id) => invoke('visit_cancel', { id }),
  correctVisit: (id, correction) => invoke('visit_correct', { id, correction }),
  visitLog: (id) => invoke('visit_log', { id }),
  agenda: () => invoke('visit_agenda'),
  visitCounts: () => invoke('visit_counts'),
  visitCalendar: (year, month) => invoke('visit_calendar', { year, month }),
  visitsOn: (date) => invoke('visits_on', { date }),
  customerVisits: (id) => invoke('customer_visits', { id }),
  applyPlan: (customer, plan, staff) => invoke('plan_apply', { customer, plan, staff }),
  planList: () => invoke('plan_list'),
  planSave: (plan) => invoke('plan_save', { plan }),
  outlineList: () => invoke('outline_list'),
  outlineSave: (template) => invoke('outline_save', { template }),
  outlineDelete: (id) => invoke('outline_delete', { id }),
  cadenceGet: () => invoke('cadence_get'),
  cadenceSave: (cadences) => invoke('cadence_save', { cadences }),
  dueContacts: (offset, limit) => invoke('due_contacts', { offset, limit }),
});

Object.assign(api, {
  registerComplaint: (input) => invoke('complaint_register', { input }),
  listComplaints: (query) => invoke('complaint_list', { query }),
  getComplaint: (id) => invoke('complaint_get', { id }),
  transitionComplaint: (id, transition) => invoke('complaint_transition', { id, transition }),
  noteComplaint: (id, note, staff) => invoke('complaint_note', { id, note, staff }),
  setComplaintHandler: (id, handler, staff) => invoke('complaint_handler', { id, handler, staff }),
  setComplaintSeverity: (id, severity, staff) => invoke('complaint_severity', { id, severity, staff }),
  resolveComplaint: (id, input) => invoke('complaint_resolve', { id, input }),
  closeComplaint: (id, input) => invoke('complaint_close', { id, input }),
  complaintCategories: () => invoke('complaint_categories'),
  saveComplaintCategory: (category, archived) => invoke('complaint_category_save', { category, archived }),
  complaintSettings: () => invoke('complaint_settings'),
  saveComplaintSettings: (settings) => invoke('complaint_settings_save', { settings }),
  sweepComplaints: () => invoke('complaint_sweep'),
});

Object.assign(api, {
  reminderCenter: (query) => invoke('reminder_center', { query }),
  reminderCounts: () => invoke('reminder_counts'),
  snoozeReminder: (id, snooze) => invoke('reminder_snooze', { id, snooze }),
  closeReminder: (id, done) => invoke('reminder_close', { id, done }),
  createReminder: (input) => invoke('reminder_create', { input }),
  reminderSettings: () => invoke('reminder_settings'),
  saveReminderSettings: (settings) => invoke('reminder_settings_save', { settings }),
  /** Rust tells the window when reminders fire. */
  onRemindersChanged: (cb) => window.__TAURI__.event.listen('reminders-changed', cb),
  onDataChanged: (cb) => window.__TAURI__.event.listen('data-changed', cb),
  /** Who is calling from `number`: {number, customers}. */
  callerLookup: (number) => invoke('caller_lookup', { number }),
  /** What the window was asked to open from outside (a caller, a clicked notification) since it last looked. */
  openTake: () => invoke('desktop_open_take'),
  /** The about box: {log_dir, licence, demo}. */
  about: () => invoke('desktop_about'),
  /** The customer list is on screen: the first usable screen after start. */
  ready: () => invoke('desktop_ready'),
  onOpenRequested: (cb) => window.__TAURI__.event.listen('open-requested', cb),
  /** The integrity check, run beside the first screen, found the file damaged: the store is closed. */
  onDbDamaged: (cb) => window.__TAURI__.event.listen('db-damaged', cb),
  /** The automatic backup of the day was taken. */
  onBackupsChanged: (cb) => window.__TAURI__.event.listen('backups-changed', cb),
});

Object.assign(api, {
  bookingCreate: (input) => invoke('booking_create', { input }),
  bookingChange: (id, input) => invoke('booking_change', { id, input }),
  /** Cancel with a reason; `series` also ends a recurring booking (else its next date is booked). */
  bookingCancel: (id, reason, series) => invoke('booking_cancel', { id, reason, series }),
  bookingArrived: (id) => invoke('booking_arrived', { id }),
  bookingNoShow: (id) => invoke('booking_no_show', { id }),
  /** Undo an arrival or a no-show: back to booked. */
  bookingReopen: (id) => invoke('booking_reopen', { id }),
  bookingWalkIn: (input) => invoke('booking_walk_in', { input }),
  bookingGet: (id) => invoke('booking_get', { id }),
  arrivalsBoard: (date) => invoke('arrivals_board', { date }),
  /** The day's board counts only (the sidebar badge): {booked, arrived, late, no_show, cancelled, guests}. */
  arrivalsCounts: (date) => invoke('arrivals_counts', { date }),
  arrivalFigures: (query) => invoke('arrival_figures', { query }),
  arrivalSettings: () => invoke('arrival_settings'),
  arrivalSettingsSave: (settings) => invoke('arrival_settings_save', { settings }),
});
