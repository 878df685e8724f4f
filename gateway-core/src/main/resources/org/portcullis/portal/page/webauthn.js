/*
 * Portcullis portal: security keys and passkeys (W3C WebAuthn, navigator.credentials.create/get).
 * No framework, nothing loaded from anywhere else; served by the gateway as /.portcullis/webauthn.js and allowed by
 * the page's Content-Security-Policy "script-src 'self'". The page carries the CSRF token and rd in data- attributes;
 * the JSON endpoints check the token (header X-CSRF-Token), the Origin, the session and every WebAuthn rule.
 */
(function () {
  'use strict';

  var MESSAGES = {
    working: 'Follow the prompt of your browser: insert or touch your security key, or confirm on this device.',
    checking: 'Checking…',
    cancelled: 'The request was cancelled or not completed. Press the button to try again.',
    timedOut: 'The request timed out. Press the button to try again.',
    unsupported: 'This browser cannot use security keys or passkeys. Use another second factor, or another browser.',
    alreadyRegistered: 'This key is already registered for your account.',
    notRegistered: 'This security key or passkey is not registered for your account.',
    network: 'The portal could not be reached. Check your connection and try again.',
    failed: 'That did not work. Please try again.'
  };

  // --- base64url (RFC 4648 §5) helpers, written once ------------------------------------------------------------

  function fromBase64Url(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4 !== 0) {
      base64 += '=';
    }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toBase64Url(buffer) {
    if (!buffer) {
      return null;
    }
    var bytes = new Uint8Array(buffer);
    var binary = '';
    for (var i = 0; i < bytes.length; i++) {
      binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function descriptors(list) {
    return (list || []).map(function (d) {
      var out = { type: d.type, id: fromBase64Url(d.id) };
      if (d.transports) {
        out.transports = d.transports;
      }
      return out;
    });
  }

  // --- talking to the portal -------------------------------------------------------------------------------------

  function post(path, csrf, body) {
    return fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body)
    }).catch(function () {
      throw { message: MESSAGES.network };
    }).then(function (response) {
      return response.json().catch(function () {
        return {};
      }).then(function (json) {
        if (!response.ok) {
          throw { message: json.message || MESSAGES.failed, server: json };
        }
        return json;
      });
    });
  }

  /** What to tell the user when the browser's prompt ended without a credential. */
  function browserMessage(error, startedAt, timeout, registering) {
    var name = error && error.name;
    if (name === 'InvalidStateError' && registering) {
      return MESSAGES.alreadyRegistered;
    }
    if (name === 'NotSupportedError' || name === 'SecurityError') {
      return MESSAGES.unsupported;
    }
    if (name === 'NotAllowedError') {
      var elapsed = Date.now() - startedAt;
      return timeout && elapsed >= timeout - 1000 ? MESSAGES.timedOut : MESSAGES.cancelled;
    }
    return error && error.message && !name ? error.message : MESSAGES.failed;
  }

  // --- the two ceremonies ------------------------------------------------------------------------------------------

  function authenticate(block, status) {
    var csrf = block.getAttribute('data-csrf');
    var rd = block.getAttribute('data-rd') || '';
    var startedAt = 0;
    var timeout = 0;
    // The passkey block of the sign-in page: a discoverable credential, empty allowCredentials, no session yet.
    var path = block.getAttribute('data-webauthn') === 'passkey' ? '/.portcullis/webauthn/passkey'
      : '/.portcullis/webauthn/authenticate';
    return post(path + '/options', csrf, {}).then(function (options) {
      var publicKey = options.publicKey;
      publicKey.challenge = fromBase64Url(publicKey.challenge);
      publicKey.allowCredentials = descriptors(publicKey.allowCredentials);
      timeout = publicKey.timeout || 0;
      startedAt = Date.now();
      return navigator.credentials.get({ publicKey: publicKey }).catch(function (error) {
        throw { message: browserMessage(error, startedAt, timeout, false) };
      });
    }).then(function (credential) {
      if (!credential) {
        throw { message: MESSAGES.cancelled };
      }
      show(status, MESSAGES.checking, false);
      return post(path, csrf, {
        rd: rd,
        credential: {
          id: credential.id,
          rawId: toBase64Url(credential.rawId),
          type: credential.type,
          response: {
            clientDataJSON: toBase64Url(credential.response.clientDataJSON),
            authenticatorData: toBase64Url(credential.response.authenticatorData),
            signature: toBase64Url(credential.response.signature),
            userHandle: toBase64Url(credential.response.userHandle)
          }
        }
      });
    }).then(function (answer) {
      window.location.assign(answer.redirect);
    });
  }

  function register(block, status) {
    var csrf = block.getAttribute('data-csrf');
    var rd = block.getAttribute('data-rd') || '';
    var nameField = block.querySelector('input[name="key_name"]');
    var name = nameField ? nameField.value : '';
    var startedAt = 0;
    var timeout = 0;
    return post('/.portcullis/webauthn/register/options', csrf, { name: name }).then(function (options) {
      var publicKey = options.publicKey;
      publicKey.challenge = fromBase64Url(publicKey.challenge);
      publicKey.user.id = fromBase64Url(publicKey.user.id);
      publicKey.excludeCredentials = descriptors(publicKey.excludeCredentials);
      timeout = publicKey.timeout || 0;
      startedAt = Date.now();
      return navigator.credentials.create({ publicKey: publicKey }).catch(function (error) {
        throw { message: browserMessage(error, startedAt, timeout, true) };
      });
    }).then(function (credential) {
      if (!credential) {
        throw { message: MESSAGES.cancelled };
      }
      show(status, MESSAGES.checking, false);
      var response = credential.response;
      return post('/.portcullis/webauthn/register', csrf, {
        name: name,
        rd: rd,
        credential: {
          id: credential.id,
          rawId: toBase64Url(credential.rawId),
          type: credential.type,
          response: {
            clientDataJSON: toBase64Url(response.clientDataJSON),
            attestationObject: toBase64Url(response.attestationObject),
            transports: typeof response.getTransports === 'function' ? response.getTransports() : []
          }
        }
      });
    }).then(function (answer) {
      var done = document.querySelector('form[data-webauthn-done]');
      if (answer.next === 'recovery_codes' && done) {
        // The new factor moved the session to a new id and a new CSRF token; the form carries the new one.
        var token = done.querySelector('input[name="csrf"]');
        if (token && answer.csrf) {
          token.value = answer.csrf;
        }
        done.submit();
      } else {
        window.location.assign(answer.redirect);
      }
    });
  }

  // --- wiring ----------------------------------------------------------------------------------------------------

  function show(status, text, isError) {
    status.textContent = text;
    status.className = isError ? 'webauthn-status alert' : 'webauthn-status';
    if (isError) {
      status.focus();
    }
  }

  function wire(block) {
    var button = block.querySelector('[data-webauthn-start]');
    var status = block.querySelector('[data-webauthn-status]');
    if (!button || !status) {
      return;
    }
    if (!window.PublicKeyCredential || !navigator.credentials) {
      button.disabled = true;
      show(status, MESSAGES.unsupported, true);
      return;
    }
    var ceremony = block.getAttribute('data-webauthn') === 'register' ? register : authenticate;
    button.addEventListener('click', function () {
      button.disabled = true;
      show(status, MESSAGES.working, false);
      ceremony(block, status).catch(function (error) {
        var server = error && error.server;
        var text = server && server.error === 'unknown_key' ? MESSAGES.notRegistered
          : (error && error.message) || MESSAGES.failed;
        show(status, text, true);
        button.disabled = false;
      });
    });
  }

  var blocks = document.querySelectorAll('[data-webauthn]');
  for (var i = 0; i < blocks.length; i++) {
    wire(blocks[i]);
  }
})();
