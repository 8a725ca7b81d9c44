// Textbausteine: in any free-text field (every textarea, unless data-templates="off"), typing "::" and the start of a
// template's short name lists the matching templates (a listbox the field points to with aria-controls and
// aria-activedescendant; a polite live region says how many match). Tab or Enter inserts the selected one, the arrow
// keys choose, Escape closes. Placeholders are filled in on insertion: {Vorname} with the client's first name (from
// the nearest data-first-name on the page, never from the address) and {Datum} with today (dd.MM.yyyy, the server's
// day). The templates come once per page from the JSON endpoint named in data-source (a failed load is tried again).
// Without JavaScript the fields work as they are.
(function () {
    'use strict';
    var script = document.currentScript;
    if (!script || !window.fetch) {
        return;
    }

    var source = script.getAttribute('data-source');
    var today = script.getAttribute('data-today') || '';
    var templates = null;
    var loading = null;
    var counter = 0;
    var live = null;
    var state = null; // { field, list, start, matches, index }
    var trigger = /(^|\s)::([a-zäöüß0-9-]*)$/;

    // A load that fails for a passing reason (no answer within 8 s, a network error, the server busy: 5xx or 429) is
    // tried again after a second and then twice more with longer pauses; any other failure (signed out, not a list)
    // is not. Either way the next keystroke after "::" starts anew. Only a list that arrived is kept for the page.
    // lasting(): a failure that trying again will not mend — an answer other than 5xx or 429, or one that is no list.
    function lasting(message, status) {
        var error = new Error(message);
        error.lasting = status === undefined || !(status >= 500 || status === 429);
        return error;
    }

    function isTemplate(t) {
        return t && typeof t.name === 'string' && typeof t.text === 'string';
    }

    function attempt(left, pause) {
        var abort = window.AbortController ? new AbortController() : null;
        var timer = abort ? setTimeout(function () { abort.abort(); }, 8000) : null;
        return fetch(source, { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal: abort ? abort.signal : undefined })
            .finally(function () {
                if (timer) {
                    clearTimeout(timer);
                }
            })
            .then(function (r) {
                if (!r.ok) {
                    throw lasting('status ' + r.status, r.status);
                }
                return r.json().catch(function () { throw lasting('not JSON'); });
            })
            .then(function (list) {
                if (!Array.isArray(list)) {
                    throw lasting('not a list');
                }
                return list.filter(isTemplate);
            })
            .catch(function (error) {
                if (left <= 0 || error.lasting) {
                    throw error;
                }
                return new Promise(function (resolve) { setTimeout(resolve, pause); })
                    .then(function () { return attempt(left - 1, pause * 2); });
            });
    }

    function load() {
        if (templates) {
            return Promise.resolve(templates);
        }
        if (!loading) {
            loading = attempt(3, 1000)
                .then(function (list) { templates = list; return templates; })
                .catch(function () {
                    loading = null;
                    announce('Die Textbausteine konnten nicht geladen werden. Bitte erneut versuchen.');
                    return null;
                });
        }
        return loading;
    }

    function eligible(el) {
        return el && el.tagName === 'TEXTAREA' && el.getAttribute('data-templates') !== 'off' && !el.readOnly && !el.disabled;
    }

    function announce(text) {
        if (!live) {
            live = document.createElement('div');
            live.className = 'visually-hidden';
            live.setAttribute('role', 'status');
            live.setAttribute('aria-live', 'polite');
            live.setAttribute('data-testid', 'template-announcement');
            document.body.appendChild(live);
        }
        live.textContent = text;
    }

    function listFor(field) {
        var id = field.getAttribute('aria-controls');
        var list = id && document.getElementById(id);
        if (!list) {
            counter += 1;
            list = document.createElement('ul');
            list.id = 'template-suggestions-' + counter;
            list.className = 'template-suggestions';
            list.setAttribute('role', 'listbox');
            list.setAttribute('aria-label', 'Textbausteine');
            list.hidden = true;
            field.insertAdjacentElement('afterend', list);
            field.setAttribute('aria-controls', list.id);
            field.setAttribute('aria-autocomplete', 'list');
        }
        return list;
    }

    function close() {
        if (!state) {
            return;
        }
        state.list.hidden = true;
        state.list.textContent = '';
        state.field.removeAttribute('aria-activedescendant');
        state = null;
    }

    function select(index) {
        var options = state.list.querySelectorAll('[role=option]');
        state.index = (index + options.length) % options.length;
        options.forEach(function (o, i) { o.setAttribute('aria-selected', i === state.index ? 'true' : 'false'); });
        state.field.setAttribute('aria-activedescendant', options[state.index].id);
    }

    function firstName(field) {
        var holder = field.closest('[data-first-name]') || document.querySelector('[data-first-name]');
        return holder ? holder.getAttribute('data-first-name') : null;
    }

    function fill(text, field) {
        var name = firstName(field);
        return text.replace(/\{Datum\}/g, today).replace(/\{Vorname\}/g, function (m) { return name || m; });
    }

    function insert(template) {
        var field = state.field;
        var end = field.selectionStart;
        var text = fill(template.text, field);
        field.setRangeText(text, state.start, end, 'end');
        close();
        field.dispatchEvent(new Event('input', { bubbles: true }));
        announce('Textbaustein ::' + template.name + ' eingefügt.');
    }

    function show(field, start, prefix) {
        var matches = templates.filter(function (t) { return t.name.indexOf(prefix) === 0; });
        if (matches.length === 0) {
            close();
            announce('Kein Textbaustein passt.');
            return;
        }
        var list = listFor(field);
        list.textContent = '';
        matches.slice(0, 8).forEach(function (t, i) {
            var option = document.createElement('li');
            option.id = list.id + '-' + i;
            option.setAttribute('role', 'option');
            option.setAttribute('aria-selected', 'false');
            option.textContent = '::' + t.name + ' – ' + (t.text.length > 60 ? t.text.slice(0, 60) + '…' : t.text);
            option.addEventListener('mousedown', function (e) { e.preventDefault(); });
            option.addEventListener('click', function () { if (state) { insert(t); } });
            list.appendChild(option);
        });
        list.hidden = false;
        state = { field: field, list: list, start: start, matches: matches.slice(0, 8), index: 0 };
        select(0);
        announce(matches.length === 1
            ? '1 Textbaustein passt: ::' + matches[0].name + '. Tab oder Enter fügt ihn ein.'
            : matches.length + ' Textbausteine passen. Pfeiltasten wählen, Tab oder Enter fügt ein.');
    }

    document.addEventListener('input', function (e) {
        var field = e.target;
        if (!eligible(field) || field.selectionStart !== field.selectionEnd) {
            return;
        }
        var before = field.value.slice(0, field.selectionStart);
        var match = trigger.exec(before);
        if (!match) {
            if (state && state.field === field) {
                close();
            }
            return;
        }
        var start = before.length - match[2].length - 2;
        var prefix = match[2].toLowerCase();
        load().then(function (list) {
            // Loaded, and still typing at the same place?
            if (list && field.value.slice(start, field.selectionStart) === '::' + match[2]) {
                show(field, start, prefix);
            }
        });
    });

    document.addEventListener('keydown', function (e) {
        if (!state || e.target !== state.field) {
            return;
        }
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            select(state.index + (e.key === 'ArrowDown' ? 1 : -1));
        } else if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
            e.preventDefault();
            insert(state.matches[state.index]);
        } else if (e.key === 'Escape') {
            e.preventDefault();
            close();
        }
    });

    document.addEventListener('focusout', function (e) {
        if (state && e.target === state.field) {
            close();
        }
    });
})();
