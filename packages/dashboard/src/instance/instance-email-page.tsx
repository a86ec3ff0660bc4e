import {
  instanceEmailBody,
  SMTP_SECURITY,
  type InstanceEmailBody,
  type InstanceEmailTestAnswer,
  type InstanceEmailView,
  type SmtpSecurity,
} from '@lumio/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client.js';
import { formIssue, issueFor } from '../api/form-issue.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { SelectField } from '../ui/select-field.js';
import { TextField } from '../ui/text-field.js';
import { instanceEmailQuery } from './instance-email-query.js';
import './instance-email.css';

const SECURITY_LABELS: Record<SmtpSecurity, string> = {
  smtps: 'SMTPS: TLS from the start (usually port 465)',
  starttls: 'STARTTLS required (usually port 587)',
  none: 'None: plain text (a relay on a trusted network only)',
};
const DEFAULT_PORT: Record<SmtpSecurity, number> = { smtps: 465, starttls: 587, none: 25 };

/** The instance's outgoing email (instance owner only): SMTP settings, or the environment's, and a test email. */
export function InstanceEmailPage() {
  const email = useQuery(instanceEmailQuery());
  return (
    <main className="content narrow" id="main">
      <p>
        <Link to="/account">← Your account</Link>
      </p>
      <PageHeader
        title="Email"
        description="How this Lumio instance sends email: invites, password reset links and identity health alerts. Without it, the dashboard shows links to copy instead."
      />
      <QueryState query={email}>
        {(view) => (
          <>
            {view.source === 'environment' ? <EnvironmentEmail /> : <EmailForm view={view} />}
            <TestEmail view={view} />
          </>
        )}
      </QueryState>
    </main>
  );
}

function EnvironmentEmail() {
  return (
    <section className="card stack" aria-labelledby="email-env-heading">
      <h2 id="email-env-heading">Configured by the server</h2>
      <p>
        Email is set by the server's environment (<code>LUMIO_SMTP_URL</code>), which wins over settings made here. To change it, change the
        server's configuration and restart it.
      </p>
    </section>
  );
}

function EmailForm({ view }: { view: InstanceEmailView }) {
  const client = useQueryClient();
  const stored = view.settings;
  const [host, setHost] = useState(stored?.host ?? '');
  const [security, setSecurity] = useState<SmtpSecurity>(stored?.security ?? 'starttls');
  const [port, setPort] = useState(String(stored?.port ?? DEFAULT_PORT.starttls));
  const [user, setUser] = useState(stored?.user ?? '');
  const [password, setPassword] = useState('');
  const [from, setFrom] = useState(stored?.from ?? '');
  // Links in emails must reach this dashboard: the address it is open at is the best first guess.
  const [publicUrl, setPublicUrl] = useState(stored?.publicUrl ?? `${window.location.origin}/app/`);
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState(false);
  const body: InstanceEmailBody = {
    host: host.trim(),
    port: port.trim() === '' ? Number.NaN : Number(port),
    security,
    user: user.trim(),
    ...(password ? { password } : {}),
    from: from.trim(),
    publicUrl: publicUrl.trim(),
  };
  const issue = tried ? formIssue(instanceEmailBody, body) : null;
  const save = useMutation({
    mutationFn: () => api<InstanceEmailView>('/instance/email', { method: 'PUT', body }),
    onSuccess: (next) => {
      setPassword('');
      setTried(false);
      setSaved(true);
      client.setQueryData(instanceEmailQuery().queryKey, next);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    setTried(true);
    if (!formIssue(instanceEmailBody, body)) save.mutate();
  };
  const passwordSet = stored?.passwordSet === true && user.trim() !== '';
  return (
    <form className="card stack" onSubmit={submit} onChange={() => setSaved(false)} noValidate aria-labelledby="smtp-heading">
      <h2 id="smtp-heading">SMTP server</h2>
      <p className="small muted">
        Only you, the owner of this Lumio instance, can see and change this. The server connects to the host given here, so give your mail
        provider's SMTP host.
      </p>
      <div className="instance-email-grid">
        <TextField
          label="SMTP host"
          value={host}
          onChange={(e) => setHost(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          placeholder="smtp.example.com"
          error={issueFor(issue, 'host')}
        />
        <TextField
          label="Port"
          type="number"
          inputMode="numeric"
          min={1}
          max={65535}
          value={port}
          onChange={(e) => setPort(e.target.value)}
          error={issueFor(issue, 'port')}
        />
      </div>
      <SelectField
        label="Security"
        value={security}
        options={SMTP_SECURITY.map((s) => [s, SECURITY_LABELS[s]] as const)}
        onChange={(e) => {
          const next = e.target.value as SmtpSecurity;
          // The port follows the security choice while it is still the previous choice's usual port.
          if (port === String(DEFAULT_PORT[security])) setPort(String(DEFAULT_PORT[next]));
          setSecurity(next);
        }}
        error={issueFor(issue, 'security')}
      />
      <TextField
        label="User"
        hint="Leave empty if the server takes email without signing in."
        value={user}
        onChange={(e) => setUser(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        error={issueFor(issue, 'user')}
      />
      <TextField
        label="Password"
        type="password"
        hint={
          passwordSet
            ? 'A password is set. Leave this empty to keep it; it is stored encrypted and never shown again.'
            : 'Stored encrypted; never shown again after saving.'
        }
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        autoComplete="new-password"
        error={issueFor(issue, 'password')}
      />
      <TextField
        label="From"
        hint='The sender of every email, such as "Lumio <lumio@example.com>".'
        value={from}
        onChange={(e) => setFrom(e.target.value)}
        autoComplete="off"
        error={issueFor(issue, 'from')}
      />
      <TextField
        label="Dashboard's public URL"
        hint={
          view.environmentPublicUrl
            ? `Links in emails use ${view.environmentPublicUrl} (set by LUMIO_PUBLIC_URL on the server, which wins over this).`
            : 'Links in emails point here: the address your team opens the dashboard at.'
        }
        type="url"
        value={publicUrl}
        onChange={(e) => setPublicUrl(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        error={issueFor(issue, 'publicUrl')}
      />
      <ErrorMessage error={save.error} />
      {saved && (
        <p role="status" className="notice notice-ok">
          Email settings saved.
        </p>
      )}
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save email settings
        </Button>
      </div>
    </form>
  );
}

function TestEmail({ view }: { view: InstanceEmailView }) {
  const send = useMutation({ mutationFn: () => api<InstanceEmailTestAnswer>('/instance/email/test', { method: 'POST' }) });
  return (
    <section className="card stack" aria-labelledby="email-test-heading">
      <h2 id="email-test-heading">Send a test email</h2>
      {view.source === 'none' ? (
        <p className="muted">Save the SMTP settings first; then send a test email to check them.</p>
      ) : (
        <p>A short email goes to your own address, {view.testRecipient}, through the settings in use.</p>
      )}
      <ErrorMessage error={send.error} />
      {send.isSuccess && (
        <p role="status" className="notice notice-ok">
          Test email sent to {send.data.sentTo}. If it does not arrive, check your spam folder and the From address.
        </p>
      )}
      <div className="row">
        <Button onClick={() => send.mutate()} busy={send.isPending} disabled={view.source === 'none'}>
          Send test email
        </Button>
      </div>
    </section>
  );
}
