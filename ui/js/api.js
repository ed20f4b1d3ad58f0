// The only module that talks to Rust: every command the window uses, by name.
const invoke = (cmd, args) => window.__TAURI__.core.invoke(cmd, args);

export const api = {
  status: () => invoke('app_status'),
  setLanguage: (language) => invoke('set_language', { language }),
  listCustomers: (query) => invoke('customer_list', { query }),
  customerTags: () => invoke('customer_tags'),
  getCustomer: (id) => invoke('customer_get', { id }),
  createCustomer: (input) => invoke('customer_create', { input }),
  updateCustomer: (id, input) => invoke('customer_update', { id, input }),
  archiveCustomer: (id) => invoke('customer_archive', { id }),
  restoreCustomer: (id) => invoke('customer_restore', { id }),
  seedDemo: () => invoke('demo_seed'),
};
