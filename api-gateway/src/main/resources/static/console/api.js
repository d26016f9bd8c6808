// Talks to the gateway: Keystone sign-in, the compute API and Ferry's API with X-Auth-Token, the event stream.
// The token lives in this module only (never in storage, a URL or a log): reloading the page signs out.

let token = null;

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Keystone v3 password auth against the gateway's own identity endpoint (domain Default). */
export async function signIn(user, password, project) {
  const auth = {
    identity: {methods: ['password'], password: {user: {name: user, domain: {name: 'Default'}, password}}},
  };
  if (project) {
    auth.scope = {project: {name: project, domain: {name: 'Default'}}};
  }
  const response = await fetch('/identity/v3/auth/tokens?nocatalog', {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({auth}),
  });
  if (response.status !== 201) {
    throw new ApiError(response.status, await faultMessage(response));
  }
  token = response.headers.get('X-Subject-Token');
  return (await response.json()).token;
}

export async function signOut() {
  if (token) {
    await fetch('/identity/v3/auth/tokens', {method: 'DELETE', headers: {'X-Auth-Token': token, 'X-Subject-Token': token}})
      .catch(() => {});
  }
  token = null;
}

/** A call with the token; answers the parsed body (or null), throws ApiError with the fault's message. */
export async function call(method, path, body, microversion) {
  const headers = {'X-Auth-Token': token};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (microversion) {
    headers['OpenStack-API-Version'] = 'compute ' + microversion;
  }
  const response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  if (!response.ok) {
    throw new ApiError(response.status, await faultMessage(response));
  }
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

async function faultMessage(response) {
  try {
    const body = await response.json();
    const fault = Object.values(body)[0];
    return fault.message || response.statusText;
  } catch {
    return `HTTP ${response.status}`;
  }
}

/**
 * Follows the fleet: calls onFleet with every document the server pushes. EventSource cannot send the token, so
 * each (re)connection first buys a one-use ticket with it. Answers a function that stops following.
 */
export function followFleet(onFleet, onState) {
  let source = null;
  let stopped = false;
  let retry = null;
  const connect = async () => {
    try {
      const {ticket} = await call('POST', '/ferry/v1/events/tickets');
      if (stopped) return;
      source = new EventSource('/ferry/v1/events?ticket=' + encodeURIComponent(ticket.ticket));
      source.addEventListener('open', () => onState(true));
      source.addEventListener('fleet', event => onFleet(JSON.parse(event.data)));
      source.addEventListener('error', () => {
        onState(false);
        source.close();
        schedule();
      });
    } catch (e) {
      onState(false);
      if (!(e instanceof ApiError && e.status === 401)) schedule();
    }
  };
  const schedule = () => {
    if (!stopped) retry = setTimeout(connect, 2000);
  };
  connect();
  return () => {
    stopped = true;
    clearTimeout(retry);
    if (source) source.close();
  };
}
