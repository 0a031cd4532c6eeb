"""The learned, explainable relevance score: what the user's library and verdicts say of a paper.

`radar.relevance.model.learn` is the entry point; scikit-learn is imported only there, when a
model must be fitted, so a run that finds its ranking cached never loads it.
"""
