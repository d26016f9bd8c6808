// Renders the fleet document into the page. Builds DOM nodes with textContent only: names from the fleet are
// never parsed as HTML.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'style') Object.assign(node.style, value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const MB_PER_PX = 64;

const gib = mb => (mb / 1024).toFixed(mb % 1024 === 0 ? 0 : 1) + ' GiB';
const rate = bytes => bytes === null || bytes === undefined ? '–' : (bytes / 1048576).toFixed(0) + ' MiB/s';
const seconds = ms => ms === null || ms === undefined ? '–' : (ms / 1000).toFixed(1) + ' s';

function bar(label, used, total, unit) {
  const percent = total > 0 ? Math.min(100, Math.round(used * 100 / total)) : 0;
  return el('div', {class: 'capacity', title: `${label}: ${used} of ${total} ${unit}`},
    el('span', {class: 'capacity-label'}, `${label} ${unit === 'MB' ? gib(used) + ' / ' + gib(total) : used + ' / ' + total}`),
    el('div', {class: 'bar'}, el('div', {class: percent > 90 ? 'fill hot' : 'fill', style: {width: percent + '%'}})));
}

function progress(percent) {
  return el('div', {class: 'bar progress', title: percent + '%'},
    el('div', {class: 'fill', style: {width: percent + '%'}}), el('span', {}, percent + '%'));
}

export function renderHosts(container, fleet, actions) {
  container.replaceChildren(...fleet.hosts.map(host => {
    const disabled = host.status === 'disabled';
    return el('article', {class: 'host' + (disabled ? ' disabled' : ''), 'data-host': host.name},
      el('h3', {}, host.name),
      el('p', {class: 'service'},
        el('span', {class: 'badge ' + (disabled ? 'off' : 'on')}, host.status),
        el('span', {class: 'badge ' + (host.state === 'up' ? 'on' : 'down')}, host.state),
        host.disabled_reason ? el('span', {class: 'reason'}, host.disabled_reason) : null),
      bar('memory', host.memory_mb_used, host.memory_mb, 'MB'),
      bar('vCPUs', host.vcpus_used, host.vcpus, 'vCPUs'),
      el('div', {class: 'actions'},
        host.active_drain ? el('span', {class: 'badge busy'}, 'draining')
          : host.servers.length > 0 ? el('button', {class: 'drain', onclick: () => actions.drain(host)}, 'Drain')
          : null,
        disabled ? el('button', {class: 'enable', onclick: () => actions.enable(host)}, 'Enable') : null),
      el('div', {class: 'servers'}, host.servers.map(server =>
        el('div', {
          class: 'vm' + (server.task_state === 'migrating' ? ' migrating' : ''),
          'data-vm': server.name,
          title: `${server.name}: ${gib(server.memory_mb)}, ${server.vcpus} vCPUs, ${server.vm_state}`,
          style: {height: Math.max(20, Math.round(server.memory_mb / MB_PER_PX)) + 'px'},
        }, el('span', {}, server.name), el('small', {}, gib(server.memory_mb))))));
  }));
}

export function renderMigrations(tbody, fleet, actions) {
  tbody.replaceChildren(...fleet.migrations.map(m => el('tr', {'data-migration': m.uuid},
    el('td', {}, m.server_name),
    el('td', {}, `${m.source_host} → ${m.dest_host || '…'}`),
    el('td', {}, m.status),
    el('td', {}, progress(m.progress)),
    el('td', {}, m.iteration ?? '–'),
    el('td', m.dirty_rate_source === 'measured'
      ? {title: 'measured by the agent (calc-dirty-rate) before QEMU\'s first dirty-page sync'} : {},
      (m.dirty_rate_source === 'measured' ? '~' : '') + rate(m.dirty_rate_bytes_per_sec)),
    el('td', {}, m.downtime_limit_ms ? m.downtime_limit_ms + ' ms' : '–'),
    el('td', {}, m.mode),
    el('td', {title: m.decision_reason || ''}, m.decision || '–'),
    el('td', {class: 'actions'}, actionsFor(m, actions)))));
}

/**
 * The actions Nova accepts in the migration's state: abort while queued, preparing or streaming in pre-copy
 * (microversion 2.65 for the first two), force-complete while streaming in pre-copy; none once the guest runs on the
 * destination (post-copy, post-migrating).
 */
function actionsFor(m, actions) {
  const preCopy = m.mode !== 'post-copy';
  const buttons = [];
  if (m.status === 'running' && preCopy) {
    buttons.push(el('button', {class: 'force', onclick: () => actions.forceComplete(m)}, 'Force complete'));
  }
  if (['queued', 'preparing'].includes(m.status) || (m.status === 'running' && preCopy)) {
    buttons.push(el('button', {class: 'abort', onclick: () => actions.abort(m)}, 'Abort'));
  }
  return buttons;
}

export function renderDrains(tbody, fleet, actions) {
  tbody.replaceChildren(...fleet.drains.map(d => el('tr', {'data-drain': d.id},
    el('td', {}, d.host),
    el('td', {}, d.status),
    el('td', {}, progress(d.progress)),
    el('td', {}, `${d.done} / ${d.total}`),
    el('td', {}, seconds(d.elapsed_ms)),
    el('td', {}, seconds(d.predicted_remaining_ms)),
    el('td', {}, seconds(d.lower_bound_ms)),
    el('td', {}, d.note || ''),
    el('td', {class: 'actions'}, d.status === 'running' ? [
      el('button', {class: 'stop', title: 'Start no further migration; running ones finish',
        onclick: () => actions.stopDrain(d, false)}, 'Stop'),
      el('button', {class: 'stop-abort', title: 'Start no further migration; abort those in pre-copy '
        + '(post-copy ones finish)', onclick: () => actions.stopDrain(d, true)}, 'Stop and abort running'),
    ] : null))));
}
