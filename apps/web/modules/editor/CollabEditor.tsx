"use client";

import {
  CollabSession,
  CommentsClient,
  createCollabSocket,
  createTokenSource,
  fetchServiceToken,
  type CollabSessionState,
  type RemotePresence,
  type RestoreResult,
} from "@devflow/web-data-access";
import { Alert, Badge, Button } from "@devflow/web-ui";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { markdown } from "@codemirror/lang-markdown";
import { defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import { EditorView, drawSelection, highlightActiveLine, keymap, placeholder } from "@codemirror/view";
import { useDeferredValue, useEffect, useRef, useState } from "react";
import { CommentsPanel } from "../comments/CommentsPanel";
import { DocumentIssuesPanel } from "../doc-issues/DocumentIssuesPanel";
import { IssueActions } from "../doc-issues/IssueActions";
import { useIssueFromPassage } from "../doc-issues/use-issue-from-passage";
import { HistoryPanel } from "../history/HistoryPanel";
import { collabSync, remoteOpTransaction, replaceTextTransaction } from "./collab-binding";
import {
  commentAnchors,
  commentAnchorsOf,
  commentDraftOf,
  setActiveCommentThread,
  setCommentDraft,
} from "./comment-anchors";
import { issueShortcut } from "./issue-shortcut";
import { MarkdownPreview } from "./MarkdownPreview";
import { mentionCompletion, useMentionCandidates } from "./mention-completion";
import { LINE_SEPARATOR } from "./op-conversion";
import { PresenceAvatars } from "./PresenceAvatars";
import { remotePresence, setRemotePresence } from "./remote-presence";
import { SyncStateBadge } from "./SyncStateBadge";
import { useCommentThreads, type LiveDocument } from "./use-comment-threads";
import "./editor.css";

export interface CollabEditorProps {
  organizationId: string;
  documentId: string;
  /** The text as the page loaded it: shown read-only until the live document arrives. */
  initialContent: string;
  /** Where the collab service is (`COLLAB_PUBLIC_URL`). */
  collabUrl: string;
  /** Admins and owners may delete version names. */
  canDeleteRevisions?: boolean;
  /** Who is signed in: they may edit and delete their own comments. */
  currentUserId: string;
  /** Admins and owners may delete anyone's comments. */
  canModerateComments?: boolean;
  /** A range of `initialContent` to select and scroll to once the editor is up (a search result's passage). */
  initialSelection?: { from: number; to: number } | null;
}

/** True once the session holds the live text and the user may change it. */
function isEditable(state: CollabSessionState | null): boolean {
  return state !== null && state.canEdit && state.version !== null && state.status !== "failed";
}

function editableExtensions(editable: boolean): Extension {
  return [EditorState.readOnly.of(!editable), EditorView.contentAttributes.of({ "aria-readonly": String(!editable) })];
}

/**
 * The live markdown editor: CodeMirror bound to a collab session, with other people's carets,
 * who is here, whether edits are saved, and a side-by-side preview. Until the live document
 * arrives (or when the collab service cannot be reached) the page's copy is shown read-only.
 */
export function CollabEditor({
  organizationId,
  documentId,
  initialContent,
  collabUrl,
  canDeleteRevisions = false,
  currentUserId,
  canModerateComments = false,
  initialSelection = null,
}: CollabEditorProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const sessionRef = useRef<CollabSession | null>(null);
  const viewRef = useRef<EditorView | null>(null);
  const [isMounted, setIsMounted] = useState(false);
  const [state, setState] = useState<CollabSessionState | null>(null);
  const [presence, setPresence] = useState<readonly RemotePresence[]>([]);
  const [text, setText] = useState(initialContent);
  const [showPreview, setShowPreview] = useState(true);
  const [showHistory, setShowHistory] = useState(false);
  const [showComments, setShowComments] = useState(false);
  const [live, setLive] = useState<LiveDocument | null>(null);
  const [activeThreadId, setActiveThreadId] = useState<string | null>(null);
  const [draftQuote, setDraftQuote] = useState<string | null>(null);
  const [commentNotice, setCommentNotice] = useState<string | null>(null);
  const comments = useCommentThreads(live);
  const showPreviewRef = useRef(showPreview);
  const [discardedText, setDiscardedText] = useState<string | null>(null);
  const previewText = useDeferredValue(text);
  const mentionCandidates = useMentionCandidates(organizationId);
  const issues = useIssueFromPassage(isEditable(state));
  const issuesRef = useRef(issues);
  issuesRef.current = issues;

  useEffect(() => {
    showPreviewRef.current = showPreview;
  }, [showPreview]);

  // The page's content only seeds the editor; afterwards the session owns the text.
  const initialContentRef = useRef(initialContent);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const tokens = createTokenSource({ fetchToken: () => fetchServiceToken(organizationId, "collab") });
    const socket = createCollabSocket({ url: collabUrl, getToken: () => tokens.get() });
    const session = new CollabSession({ documentId, socket, onTokenRejected: () => tokens.invalidate() });
    sessionRef.current = session;
    const commentsClient = new CommentsClient({ documentId, socket, session });
    const editable = new Compartment();

    const view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: initialContentRef.current,
        extensions: [
          EditorState.lineSeparator.of(LINE_SEPARATOR),
          editable.of(editableExtensions(false)),
          history(),
          drawSelection(),
          highlightActiveLine(),
          highlightSelectionMatches(),
          search({ top: true }),
          keymap.of([
            { key: "Mod-Alt-m", run: (target) => startCommentRef.current(target), preventDefault: true },
            ...defaultKeymap,
            ...historyKeymap,
            ...searchKeymap,
          ]),
          markdown(),
          mentionCompletion(() => mentionCandidates.current),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          EditorView.lineWrapping,
          placeholder("Start writing…"),
          EditorView.contentAttributes.of({ "data-testid": "document-content", "aria-label": "Document text" }),
          remotePresence,
          commentAnchors((threadId) => selectThreadRef.current(threadId, false)),
          issueShortcut(() => issuesRef.current.shortcutTarget),
          collabSync(session),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && showPreviewRef.current) setText(update.state.doc.toString());
          }),
        ],
      }),
    });

    viewRef.current = view;
    const unsubscribe = [
      session.on("reset", ({ text: serverText, hadUnsentEdits }) => {
        if (hadUnsentEdits) setDiscardedText(view.state.doc.toString());
        view.dispatch(replaceTextTransaction(view.state, serverText));
        setText(serverText);
      }),
      // Throws when the op does not fit the text; the session then reloads the document.
      session.on("remoteOp", ({ op }) => view.dispatch(remoteOpTransaction(view.state, op))),
      session.on("state", (next) => {
        setState(next);
        view.dispatch({ effects: editable.reconfigure(editableExtensions(isEditable(next))) });
      }),
      session.on("presence", (next) => {
        setPresence(next);
        view.dispatch({ effects: setRemotePresence.of(next) });
      }),
    ];
    session.start();
    commentsClient.start();
    setLive({ view, session, client: commentsClient });
    setIsMounted(true);

    return () => {
      for (const off of unsubscribe) off();
      commentsClient.close();
      setLive(null);
      session.close();
      sessionRef.current = null;
      viewRef.current = null;
      view.destroy();
      setIsMounted(false);
    };
  }, [organizationId, documentId, collabUrl, mentionCandidates]);

  // Later edits (the live text replacing the page's copy among them) map the selection along.
  const selectFrom = initialSelection?.from;
  const selectTo = initialSelection?.to;
  useEffect(() => {
    const view = viewRef.current;
    if (!view || selectFrom === undefined || selectTo === undefined) return;
    const length = view.state.doc.length;
    const anchor = Math.min(selectFrom, length);
    const head = Math.min(selectTo, length);
    view.dispatch({ selection: { anchor, head }, effects: EditorView.scrollIntoView(anchor, { y: "center" }) });
    view.focus();
  }, [isMounted, selectFrom, selectTo]);

  /** Starts a comment on the editor's selection (toolbar button, panel button or Mod-Alt-M). */
  const startComment = (view: EditorView | null = viewRef.current): boolean => {
    if (!view) return false;
    const { from, to } = view.state.selection.main;
    setShowComments(true);
    if (from === to) {
      setCommentNotice("Select the text you want to comment on first.");
      return true;
    }
    setCommentNotice(null);
    view.dispatch({ effects: setCommentDraft.of({ from, to }) });
    setDraftQuote(view.state.sliceDoc(from, to));
    return true;
  };
  const startCommentRef = useRef(startComment);
  startCommentRef.current = startComment;

  const cancelComment = () => {
    viewRef.current?.dispatch({ effects: setCommentDraft.of(null) });
    setDraftQuote(null);
  };

  const submitComment = async (body: string, mentions: string[]) => {
    const view = viewRef.current;
    if (!live || !view)
      return { ok: false as const, code: "unavailable" as const, message: "The editor is not connected" };
    const result = await live.client.createThread({ body, mentions, readSelection: () => commentDraftOf(view.state) });
    if (result.ok) {
      cancelComment();
      if (result.thread) setActiveThreadId(result.thread.id);
    }
    return result;
  };

  /** Highlights the thread and, from the panel, selects its text in the editor. */
  const selectThread = (threadId: string, selectText = true) => {
    const view = viewRef.current;
    setActiveThreadId(threadId);
    setShowComments(true);
    if (!view) return;
    const place = commentAnchorsOf(view.state).get(threadId);
    view.dispatch({
      effects: setActiveCommentThread.of(threadId),
      ...(selectText && place && { selection: { anchor: place.from, head: place.to }, scrollIntoView: true }),
    });
    if (selectText) view.focus();
  };
  const selectThreadRef = useRef(selectThread);
  selectThreadRef.current = selectThread;

  const openThreadCount = comments.state.threads.filter(
    (t) => t.status === "open" && !(comments.places.get(t.id)?.isOutdated ?? t.isOutdated),
  ).length;

  const hasUnsentEdits = state?.hasUnsentEdits ?? false;
  useEffect(() => {
    if (!hasUnsentEdits) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [hasUnsentEdits]);

  const togglePreview = () => {
    const next = !showPreview;
    // The text is not copied while the preview is hidden; catch up before showing it.
    if (next && viewRef.current) setText(viewRef.current.state.doc.toString());
    setShowPreview(next);
    showPreviewRef.current = next;
  };

  const isLive = state !== null && state.version !== null && state.status !== "failed";
  const isViewer = isLive && !state.canEdit;
  const retry = () => sessionRef.current?.retry();
  const restore = (version: number): Promise<RestoreResult> =>
    sessionRef.current?.restore(version) ??
    Promise.resolve({ ok: false, code: "unavailable", message: "The editor is not connected" });

  return (
    <section
      className={`collab-editor${showPreview ? " collab-editor--split" : ""}`}
      data-testid="editor"
      data-status={state?.status ?? "connecting"}
      aria-label="Document editor"
    >
      <div className="collab-toolbar">
        <SyncStateBadge state={state} />
        {isViewer && (
          <span
            title="You can read this document and see who is here, but not change it."
            data-testid="read-only-badge"
          >
            <Badge tone="amber">View only</Badge>
          </span>
        )}
        <PresenceAvatars presence={presence} />
        <span className="collab-toolbar__spacer" />
        <IssueActions organizationId={organizationId} documentId={documentId} issues={issues} />
        <Button
          size="sm"
          variant="ghost"
          onClick={() => setShowComments(!showComments)}
          aria-pressed={showComments}
          data-testid="comments-toggle"
        >
          {showComments ? "Hide comments" : "Comments"}
          {openThreadCount > 0 && ` (${openThreadCount})`}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => setShowHistory(!showHistory)}
          aria-pressed={showHistory}
          data-testid="history-toggle"
        >
          {showHistory ? "Hide history" : "History"}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={togglePreview}
          aria-pressed={showPreview}
          data-testid="preview-toggle"
        >
          {showPreview ? "Hide preview" : "Show preview"}
        </Button>
      </div>

      {state?.status === "failed" && (
        <Alert
          title="This document cannot be edited live"
          action={
            <Button size="sm" onClick={retry}>
              Try again
            </Button>
          }
        >
          {state.error?.message ?? "The live editing service refused to open it."} Showing the last saved version,
          read-only.
        </Alert>
      )}
      {state !== null && state.status !== "failed" && state.version === null && state.error !== null && (
        <Alert
          tone="info"
          title="Live editing is unreachable right now"
          action={
            <Button size="sm" onClick={retry}>
              Retry
            </Button>
          }
        >
          Showing the last saved version, read-only. DevFlow keeps trying to connect.
        </Alert>
      )}
      {discardedText !== null && (
        <Alert
          title="Some edits could not be merged"
          action={
            <Button size="sm" onClick={() => setDiscardedText(null)}>
              Dismiss
            </Button>
          }
        >
          The document was reloaded from the server and your last unsent edits were not in it. Your text from before the
          reload is below to copy from.
          <details>
            <summary>Your text before the reload</summary>
            <pre className="collab-discarded">{discardedText}</pre>
          </details>
        </Alert>
      )}

      <div className="collab-panes">
        <div className="panel collab-pane">
          {!isMounted && (
            <pre className="doc-content" data-testid="document-content">
              {initialContent}
            </pre>
          )}
          <div ref={hostRef} className="collab-codemirror" />
        </div>
        {showPreview && (
          <div className="panel collab-pane collab-pane--preview">
            <MarkdownPreview text={previewText} />
          </div>
        )}
      </div>
      {showComments && (
        <>
          {commentNotice && (
            <Alert
              tone="info"
              action={
                <Button size="sm" onClick={() => setCommentNotice(null)}>
                  Dismiss
                </Button>
              }
            >
              {commentNotice}
            </Alert>
          )}
          {live && (
            <CommentsPanel
              organizationId={organizationId}
              currentUserId={currentUserId}
              client={live.client}
              state={comments.state}
              places={comments.places}
              activeThreadId={activeThreadId}
              canComment={isLive}
              canModerate={canModerateComments}
              draftQuote={draftQuote}
              onStartDraft={() => startComment()}
              onSubmitDraft={submitComment}
              onCancelDraft={cancelComment}
              onSelectThread={selectThread}
            />
          )}
        </>
      )}
      {showHistory && (
        <HistoryPanel
          organizationId={organizationId}
          documentId={documentId}
          currentVersion={isLive ? state.version : null}
          canEdit={isLive && state.canEdit}
          canDeleteRevisions={canDeleteRevisions}
          onRestore={restore}
        />
      )}
      {issues.isListShown && <DocumentIssuesPanel organizationId={organizationId} documentId={documentId} />}
    </section>
  );
}
