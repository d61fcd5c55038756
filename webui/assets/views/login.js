// Login: user name + token (or password) from the daemon's configuration.
import * as api from '../api.js';
import { h, clear } from '../util.js';

export function renderLogin(main, onDone) {
  clear(main);
  const err = h('p', { class: 'error', role: 'alert' });
  const user = h('input', { id: 'login-user', name: 'user', autocomplete: 'username', required: true });
  const token = h('input', { id: 'login-token', name: 'token', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'login', onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      await api.login(user.value.trim(), token.value);
      onDone();
    } catch (ex) {
      err.textContent = ex.status === 401 ? 'Wrong user or token.' : `Login failed: ${ex.message}`;
    }
  } },
  h('h1', {}, 'Log in to gitopsd'),
  h('label', { for: 'login-user' }, 'User'), user,
  h('label', { for: 'login-token' }, 'Token or password'), token,
  h('button', { type: 'submit', class: 'primary' }, 'Log in'), err);
  main.appendChild(form);
  user.focus();
}
