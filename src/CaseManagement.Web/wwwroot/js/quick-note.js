// The quick note, keyboard-first (without JavaScript it works as a plain form): opening it by keyboard or pointer puts
// the focus on its first field; Enter in any field but the note saves; in the note Ctrl+Enter (Cmd+Enter) saves.
(function () {
    'use strict';
    document.addEventListener('click', function (e) {
        var summary = e.target.closest && e.target.closest('.quick-note > summary');
        if (summary) {
            summary.parentElement.setAttribute('data-opened-by-user', 'true');
        }
    });

    document.addEventListener('toggle', function (e) {
        var details = e.target;
        if (details.matches && details.matches('.quick-note') && details.open && details.getAttribute('data-opened-by-user')) {
            details.removeAttribute('data-opened-by-user');
            var first = details.querySelector('[data-autofocus]');
            if (first) {
                first.focus();
            }
        }
    }, true);

    document.addEventListener('keydown', function (e) {
        if (e.key !== 'Enter' || e.defaultPrevented || e.isComposing) {
            return;
        }
        var field = e.target;
        var form = field.closest && field.closest('.quick-note-form');
        if (!form || field.tagName === 'BUTTON') {
            return;
        }
        if (field.tagName === 'TEXTAREA' && !(e.ctrlKey || e.metaKey)) {
            return;
        }
        e.preventDefault();
        form.requestSubmit();
    });
})();
