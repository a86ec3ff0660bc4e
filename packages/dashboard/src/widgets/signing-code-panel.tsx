import * as Tabs from '@radix-ui/react-tabs';
import { CodeBlock } from '../ui/code-block.js';
import { InlineCodeText } from './inline-code-text.js';
import { SIGNING_LANGUAGES } from './signing-snippets.js';

/** Server-side signing code for Node, Python, Ruby, PHP and Go, with the secret read from the environment. */
export function SigningCodePanel() {
  return (
    <section className="card stack widget-panel">
      <h2>Sign the user id on your server</h2>
      <p>
        The signature is the lowercase hex HMAC-SHA256 of the exact user id string, keyed with the widget's signing secret. Compute it on
        your server for each login or page load and pass it to <code>identify</code> with the user id. Read the secret from your secret
        store or the <code>LUMIO_SIGNING_SECRET</code> environment variable; never send it to the browser and never log it.
      </p>
      {SIGNING_LANGUAGES.length === 0 ? (
        <p role="alert" className="notice notice-error">
          The signing examples could not be read from this build's docs/signing.md.
        </p>
      ) : (
        <Tabs.Root defaultValue={SIGNING_LANGUAGES[0]!.id}>
          <Tabs.List className="tabs-list" aria-label="Language">
            {SIGNING_LANGUAGES.map((language) => (
              <Tabs.Trigger key={language.id} value={language.id} className="tabs-trigger">
                {language.name}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          {SIGNING_LANGUAGES.map((language) => (
            <Tabs.Content key={language.id} value={language.id} className="stack">
              {language.examples.map((example, i) => (
                <div key={i} className="stack">
                  {example.intro && (
                    <p>
                      <InlineCodeText text={example.intro} />
                    </p>
                  )}
                  <CodeBlock
                    code={example.code}
                    label={`${language.name} signing example${language.examples.length > 1 ? ` ${i + 1}` : ''}`}
                    copyLabel={`Copy ${language.name} code`}
                  />
                </div>
              ))}
              {language.id === 'go' && (
                <p className="small muted">
                  Call it with the secret from the environment: <code>SignUserID(userID, os.Getenv("LUMIO_SIGNING_SECRET"))</code>.
                </p>
              )}
            </Tabs.Content>
          ))}
        </Tabs.Root>
      )}
      <p className="small muted">
        These are the examples of the signing guide (docs/signing.md), each tested against Lumio's shared test vectors. Numeric ids are
        signed as their decimal string; ids are never trimmed or normalised.
      </p>
    </section>
  );
}
