"""Every GraphQL document crowdcare sends. Tests validate each against GitHub's published schema
(@octokit/graphql-schema) and execute it against fixture data, so the parsers see GitHub's exact shapes."""

from __future__ import annotations

_ACTOR = "author { __typename login ... on User { databaseId } ... on Bot { databaseId } }"
PAGE = "pageInfo { hasNextPage endCursor }"
# GitHub pages every connection: `first` is at most 100 and a thread with more comments is read on with
# MORE_COMMENTS until pageInfo says there is no next page. An issue or discussion carries at most 100 labels.
DISCUSSION_COMMENT = f"id url upvoteCount body createdAt authorAssociation {_ACTOR}"
ISSUE_COMMENT = f"id url body createdAt authorAssociation {_ACTOR}"

DISCUSSION_FIELDS = f"""
  id number title body url createdAt updatedAt closed closedAt locked authorAssociation
  {_ACTOR}
  answer {{ id url upvoteCount body createdAt authorAssociation {_ACTOR} }}
  answerChosenAt answerChosenBy {{ __typename login ... on User {{ databaseId }} ... on Bot {{ databaseId }} }}
  category {{ name isAnswerable }}
  labels(first: 100) {{ nodes {{ name }} }}
  comments(first: 100) {{ {PAGE} nodes {{ {DISCUSSION_COMMENT} }} }}
"""

DISCUSSION = f"""
query Discussion($owner: String!, $name: String!, $number: Int!) {{
  repository(owner: $owner, name: $name) {{
    discussion(number: $number) {{ {DISCUSSION_FIELDS} }}
  }}
}}
"""

RECENT_DISCUSSIONS = f"""
query RecentDiscussions($owner: String!, $name: String!, $cursor: String) {{
  repository(owner: $owner, name: $name) {{
    discussions(first: 25, after: $cursor, orderBy: {{field: UPDATED_AT, direction: DESC}}) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ {DISCUSSION_FIELDS} }}
    }}
  }}
}}
"""

# Votes: 100 reactions per idea in the listing; an idea with more is read on with MORE_REACTIONS. The account's
# createdAt gives the verified count. rateLimit reports what each query cost (GitHub gives the workflow token
# 1,000 points an hour).
REACTIONS = """
  reactions(first: 100) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { content createdAt user { login databaseId createdAt } }
  }
  newestReaction: reactions(last: 1) { nodes { content createdAt user { databaseId } } }
"""
# Ideas per listing page: each idea asks four connections (labels, comments, reactions and the newest reaction), so
# a page of 37 costs 1 + 37 x 4 = 149 requests, which GitHub's formula rounds to 1 point (38 would cost 2). A
# rerun reads 1,000 ideas in 28 points when nothing changed (the newest reaction and the count tell that an idea's
# later reaction pages can come from the cache: see LiveGitHub's reaction cache).
IDEA_PAGE = 37
RATE = "rateLimit { cost remaining resetAt }"

IDEA_DISCUSSIONS = f"""
query IdeaDiscussions($owner: String!, $name: String!, $categoryId: ID!, $cursor: String) {{
  {RATE}
  repository(owner: $owner, name: $name) {{
    discussions(first: {IDEA_PAGE}, after: $cursor, categoryId: $categoryId) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ {DISCUSSION_FIELDS} upvoteCount {REACTIONS} }}
    }}
  }}
}}
"""

ISSUE_FIELDS = f"""
  id number title body url createdAt updatedAt closed closedAt authorAssociation
  {_ACTOR}
  labels(first: 100) {{ nodes {{ name }} }}
  comments(first: 100) {{ {PAGE} nodes {{ {ISSUE_COMMENT} }} }}
"""

IDEA_ISSUES = f"""
query IdeaIssues($owner: String!, $name: String!, $labels: [String!], $cursor: String) {{
  {RATE}
  repository(owner: $owner, name: $name) {{
    issues(first: {IDEA_PAGE}, after: $cursor, labels: $labels, states: [OPEN, CLOSED]) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ {ISSUE_FIELDS} {REACTIONS} }}
    }}
  }}
}}
"""

MORE_REACTIONS = f"""
query MoreReactions($id: ID!, $cursor: String) {{
  {RATE}
  node(id: $id) {{
    ... on Reactable {{
      reactions(first: 100, after: $cursor) {{
        totalCount pageInfo {{ hasNextPage endCursor }}
        nodes {{ content createdAt user {{ login databaseId createdAt }} }}
      }}
    }}
  }}
}}
"""

MORE_COMMENTS = f"""
query MoreComments($id: ID!, $cursor: String) {{
  {RATE}
  node(id: $id) {{
    ... on Discussion {{
      discussionComments: comments(first: 100, after: $cursor) {{ {PAGE} nodes {{ {DISCUSSION_COMMENT} }} }}
    }}
    ... on Issue {{
      issueComments: comments(first: 100, after: $cursor) {{ {PAGE} nodes {{ {ISSUE_COMMENT} }} }}
    }}
  }}
}}
"""

# Who the token writes as. REST GET /user refuses the workflow token and App installation tokens; GraphQL's viewer
# answers both ("github-actions[bot]", "<app-slug>[bot]").
VIEWER = """
query Viewer {
  viewer { login databaseId }
}
"""

CATEGORIES = f"""
query Categories($owner: String!, $name: String!) {{
  {RATE}
  repository(owner: $owner, name: $name) {{
    discussionCategories(first: 100) {{ nodes {{ id name isAnswerable }} }}
  }}
}}
"""

ADD_COMMENT = """
mutation AddDiscussionComment($discussionId: ID!, $body: String!) {
  addDiscussionComment(input: {discussionId: $discussionId, body: $body}) {
    comment { id body createdAt }
  }
}
"""

UPDATE_COMMENT = """
mutation UpdateDiscussionComment($commentId: ID!, $body: String!) {
  updateDiscussionComment(input: {commentId: $commentId, body: $body}) {
    comment { id }
  }
}
"""

LABEL_IDS = """
query LabelIds($owner: String!, $name: String!, $query: String!) {
  repository(owner: $owner, name: $name) {
    labels(first: 100, query: $query) { nodes { id name } }
  }
}
"""

ADD_LABELS = """
mutation AddLabels($labelableId: ID!, $labelIds: [ID!]!) {
  addLabelsToLabelable(input: {labelableId: $labelableId, labelIds: $labelIds}) {
    clientMutationId
  }
}
"""

CLOSE_DISCUSSION = """
mutation CloseDiscussion($discussionId: ID!, $reason: DiscussionCloseReason!) {
  closeDiscussion(input: {discussionId: $discussionId, reason: $reason}) {
    discussion { id closed }
  }
}
"""

REOPEN_DISCUSSION = """
mutation ReopenDiscussion($discussionId: ID!) {
  reopenDiscussion(input: {discussionId: $discussionId}) {
    discussion { id closed }
  }
}
"""

MARK_ANSWER = """
mutation MarkAnswer($id: ID!) {
  markDiscussionCommentAsAnswer(input: {id: $id}) {
    discussion { id }
  }
}
"""

REMOVE_LABELS = """
mutation RemoveLabels($labelableId: ID!, $labelIds: [ID!]!) {
  removeLabelsFromLabelable(input: {labelableId: $labelableId, labelIds: $labelIds}) {
    clientMutationId
  }
}
"""

ALL = {
    "Discussion": DISCUSSION,
    "RecentDiscussions": RECENT_DISCUSSIONS,
    "IdeaDiscussions": IDEA_DISCUSSIONS,
    "IdeaIssues": IDEA_ISSUES,
    "MoreReactions": MORE_REACTIONS,
    "MoreComments": MORE_COMMENTS,
    "Viewer": VIEWER,
    "Categories": CATEGORIES,
    "AddDiscussionComment": ADD_COMMENT,
    "UpdateDiscussionComment": UPDATE_COMMENT,
    "LabelIds": LABEL_IDS,
    "AddLabels": ADD_LABELS,
    "RemoveLabels": REMOVE_LABELS,
    "CloseDiscussion": CLOSE_DISCUSSION,
    "ReopenDiscussion": REOPEN_DISCUSSION,
    "MarkAnswer": MARK_ANSWER,
}
