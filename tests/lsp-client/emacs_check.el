;;; emacs_check.el --- Emacs's eglot against `async-analyzer server' -*- lexical-binding: t -*-
;; Run by tests/t_lsp_emacs.sh after docs/editors.md's Emacs snippet, in the fixture
;; workspace (the current directory): opens handler.py, which the snippet's hook hands to
;; eglot, and checks the Flymake diagnostics eglot makes of the server's findings. Prints
;; "ok - ..." / "not ok - ..." lines and exits with the number of failures.
(require 'eglot)
(require 'flymake)
(require 'seq)

(defvar aa-checked 0)
(defvar aa-failures 0)
(defun aa-check (ok what &optional detail)
  (setq aa-checked (1+ aa-checked))
  (princ (format "%s - %s%s\n" (if ok "ok" "not ok") what (if (or ok (not detail)) "" (format ": %S" detail))))
  (unless ok (setq aa-failures (1+ aa-failures))))

(defun aa-wait (pred secs)
  "Serve the processes until PRED holds, for at most SECS seconds; PRED's last value."
  (let ((deadline (+ (float-time) secs)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    (funcall pred)))

(defun aa-ours ()
  "This buffer's Flymake diagnostics that came from async-analyzer."
  (seq-filter (lambda (d) (string-prefix-p "async-analyzer [" (flymake-diagnostic-text d))) (flymake-diagnostics)))

(find-file (expand-file-name "handler.py"))
;; eglot-ensure connects from post-command-hook, which batch mode never runs.
(run-hooks 'post-command-hook)
(let ((server (aa-wait #'eglot-current-server 20)))
  (aa-check (and server (equal (process-command (jsonrpc--process server))
                               '("async-analyzer" "server")))
            "eglot started `async-analyzer server' from the snippet"
            (and server (process-command (jsonrpc--process server)))))
(aa-check (aa-wait #'aa-ours 20) "diagnostics arrive through Flymake" (flymake-diagnostics))
(let* ((d (car (aa-ours)))
       (text (and d (buffer-substring-no-properties (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))))
  (aa-check (and d (string-prefix-p "async-analyzer [AA101]: " (flymake-diagnostic-text d)))
            "the diagnostic is AA101's" (and d (flymake-diagnostic-text d)))
  (aa-check (equal text "time.sleep(1)") "on the blocking call's text" text)
  ;; The workspace's pyproject.toml makes AA101 a warning.
  (aa-check (and d (eq (flymake-diagnostic-type d) 'eglot-warning))
            "with the severity the configuration gives (warning)" (and d (flymake-diagnostic-type d))))
(let ((server (eglot-current-server)))
  (when server (eglot-shutdown server)))
(princ (format "emacs: %d checks, %d failed\n" aa-checked aa-failures))
(kill-emacs (if (and (= aa-failures 0) (> aa-checked 0)) 0 (max 1 (min aa-failures 100))))
;;; emacs_check.el ends here
