// The console's entry point: sign-in, then the fleet as the event stream pushes it, and the operator's buttons.
import {call, followFleet, signIn, signOut} from './api.js';
import {renderDrains, renderHosts, renderMigrations} from './view.js';

const $ = selector => document.querySelector(selector);
let stopFollowing = null;

const actions = {
  drain(host) {
    const dialog = $('#drain-dialog');
    $('#drain-host').textContent = host.name;
    dialog.returnValue = '';
    dialog.onclose = () => {
      if (dialog.returnValue !== 'drain') return;
      const form = dialog.querySelector('form');
      const body = {disable_host: form.disable_host.checked};
      if (form.reason.value.trim()) body.reason = form.reason.value.trim();
      act(() => call('POST', `/ferry/v1/hosts/${encodeURIComponent(host.name)}/drain`, body));
    };
    dialog.showModal();
  },
  enable: host => act(() => call('PUT', `/v2.1/os-services/${host.service_id}`, {status: 'enabled'}, '2.53')),
  abort: m => act(() => call('DELETE', `/v2.1/servers/${m.server_uuid}/migrations/${m.id}`, undefined, '2.65')),
  forceComplete: m => act(() => call('POST', `/v2.1/servers/${m.server_uuid}/migrations/${m.id}/action`,
    {force_complete: null}, '2.22')),
  stopDrain: (d, abortRunning) => act(() => call('DELETE',
    `/ferry/v1/drains/${d.id}${abortRunning ? '?abort_running=true' : ''}`)),
};

async function act(request) {
  $('#message').textContent = '';
  try {
    await request();
  } catch (e) {
    $('#message').textContent = e.message;
  }
}

function show(fleet) {
  renderHosts($('#hosts'), fleet, actions);
  renderMigrations($('#migrations tbody'), fleet, actions);
  renderDrains($('#drains tbody'), fleet, actions);
}

function live(connected) {
  const badge = $('#live');
  badge.hidden = false;
  badge.textContent = connected ? 'live' : 'offline';
  badge.className = 'badge ' + (connected ? 'on' : 'down');
}

async function start(event) {
  event.preventDefault();
  const form = event.target;
  $('#login-error').textContent = '';
  try {
    const token = await signIn(form.user.value, form.password.value, form.project.value.trim());
    form.password.value = '';
    $('#who').textContent = `${token.user.name} (${token.project ? token.project.name : 'unscoped'})`;
    show(await call('GET', '/ferry/v1/fleet'));
    form.hidden = true;
    $('#app').hidden = false;
    $('#logout').hidden = false;
    stopFollowing = followFleet(show, live);
  } catch (e) {
    await signOut();
    $('#login-error').textContent = e.status === 403 ? 'The console needs the admin role.' : e.message;
  }
}

async function stop() {
  if (stopFollowing) stopFollowing();
  await signOut();
  location.reload();
}

$('#login').addEventListener('submit', start);
$('#logout').addEventListener('click', stop);
